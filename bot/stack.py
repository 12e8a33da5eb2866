"""Train the model when its inputs change, and start and stop the Rasa and action servers."""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
# Only these shape the model; scenario files are read by the action server at start.
MODEL_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/rules", "data/stories")
START_TIMEOUT_S = 180.0


class StackError(RuntimeError):
    """Something an operator must fix before the servers can run; the message says what."""


# Warnings Rasa always prints for this design: persona lines are uttered by the action server, not by
# rules, and control intents are sent by clients, never typed, so they have no training examples.
EXPECTED_WARNINGS = ("is not used in any story or rule", "is not found in the NLU training data", "Deprecat")


def log_summary(log: Path, tail: int = 8) -> str:
    """Return the lines of a log that say what went wrong, then its last lines, without colour codes."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in log.read_text(errors="replace").splitlines()]
    problems = [re.sub(r"^.*?(UserWarning|Error|Exception): ", r"\1: ", line) for line in lines[:-tail]
                if re.search(r"UserWarning|Error|Exception|error", line)
                and not any(expected in line for expected in EXPECTED_WARNINGS)]
    return "\n".join(problems[-10:] + lines[-tail:])


def model_fingerprint(root: Path = ROOT) -> str:
    """Hash every file that goes into training, so that an unchanged project is never retrained."""
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    """Return where the model for the current data and config lives."""
    return root / "models" / f"roleplay-{model_fingerprint(root)}.tar.gz"


def ensure_model(quiet: bool = False, root: Path = ROOT) -> Path:
    """Train the model unless one for the current data and config exists; return its path."""
    target = model_path(root)
    if target.exists():
        return target
    (root / "var").mkdir(exist_ok=True)
    log = root / "var" / "train.log"
    if not quiet:
        # Progress goes to stderr: stdout carries only the model path, for scripts.
        print(f"Training the model (data or config changed); log in {log.relative_to(root)} ...",
              file=sys.stderr, flush=True)
    started = time.monotonic()
    with log.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--fixed-model-name", target.name[: -len(".tar.gz")],
             "--out", str(target.parent)],
            cwd=root, stdout=out, stderr=subprocess.STDOUT, env=_server_env(),
        )
    if result.returncode != 0 or not target.exists():
        raise StackError(f"Training failed (exit {result.returncode}). From {log}:\n{log_summary(log)}")
    for old in target.parent.glob("roleplay-*.tar.gz"):
        if old != target:
            old.unlink()
    if not quiet:
        print(f"Model trained in {time.monotonic() - started:.0f} s.", file=sys.stderr, flush=True)
    return target


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Tell whether nothing listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """Return a port the kernel just reported free (for tests that run beside a console)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env() -> Dict[str, str]:
    env = dict(os.environ)
    # TensorFlow's C++ start-up chatter is noise for a learner; errors still show.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONWARNINGS", "ignore")
    # Nothing leaves this machine: no usage reports to Rasa.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _get(url: str, timeout: float = 2.0) -> Optional[str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.read().decode()
    except (urllib.error.URLError, OSError):
        return None


@dataclass
class Stack:
    """The Rasa server and the action server, started together on loopback and stopped together."""

    rasa_port: int = 5005
    action_port: int = 5055
    db_path: Path = VAR / "tracker.db"
    log_dir: Path = VAR / "logs"
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    started_in_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def start(self, model: Optional[Path] = None) -> "Stack":
        """Start both servers and wait until they answer; raise StackError with the reason if not."""
        for port, what in ((self.rasa_port, "Rasa server"), (self.action_port, "action server")):
            if not port_is_free(port):
                raise StackError(
                    f"Port {port} for the {what} is already taken (another practice session or server?). "
                    f"Stop it, or choose other ports with RASA_PORT / ACTION_PORT."
                )
        model = model or ensure_model()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        endpoints = self.log_dir.parent / f"endpoints-{self.rasa_port}.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{self.db_path}"\n'
        )
        began = time.monotonic()
        env = _server_env()
        self._spawn("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(self.action_port)], env)
        self._spawn("rasa", [sys.executable, "-m", "rasa", "run", "--model", str(model),
                             "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
                             "--interface", "127.0.0.1", "--port", str(self.rasa_port)], env)
        try:
            self._wait_for(f"http://127.0.0.1:{self.action_port}/health", "actions")
            self._wait_for(f"{self.url}/", "rasa")
        except StackError:
            self.stop()
            raise
        self.started_in_s = time.monotonic() - began
        return self

    def _spawn(self, name: str, argv: List[str], env: Dict[str, str]) -> None:
        with self.log_path(name).open("w") as log:
            self.processes[name] = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
                                                    start_new_session=True)

    def log_path(self, name: str) -> Path:
        """Return the log file of one server ("rasa" or "actions")."""
        return self.log_dir / f"{name}-{self.rasa_port}.log"

    def _wait_for(self, url: str, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for server, process in self.processes.items():
                if process.poll() is not None:
                    log = self.log_path(server)
                    raise StackError(f"The {server} server stopped while starting (exit {process.returncode}). "
                                     f"From {log}:\n{log_summary(log)}")
            if _get(url) is not None:
                return
            time.sleep(0.25)
        raise StackError(f"The {name} server did not answer at {url} within {START_TIMEOUT_S:.0f} s.")

    def stop(self) -> None:
        """Stop both servers, politely first."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> "Stack":
        return self.start() if not self.processes else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def from_env() -> Stack:
    """Build the default stack, with ports from RASA_PORT / ACTION_PORT when set."""
    return Stack(rasa_port=int(os.environ.get("RASA_PORT", 5005)),
                 action_port=int(os.environ.get("ACTION_PORT", 5055)))


def main() -> int:
    """Train if needed (`train`), or run both servers until Ctrl-C (`serve`)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("command", choices=["train", "serve"])
    args = parser.parse_args()
    try:
        if args.command == "train":
            print(ensure_model())
            return 0
        with from_env() as stack:
            print(f"Rasa on {stack.url} (REST channel), action server on port {stack.action_port}. Ctrl-C stops.")
            while all(p.poll() is None for p in stack.processes.values()):
                time.sleep(1)
            print("A server stopped; see the logs in var/logs.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except StackError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
