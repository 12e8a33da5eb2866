"""Print how long the servers take to start cold and to answer a first role-play turn.

Run: .venv/bin/python scripts/bench_start.py [--runs 3]
A figure for the team, not a test: nothing here passes or fails.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.client import RoleplayClient  # noqa: E402
from bot.stack import Stack, ensure_model, free_port  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    began = time.monotonic()
    model = ensure_model()
    print(f"model: {model.name} (ready in {time.monotonic() - began:.1f} s; trained now only if data changed)")
    starts, firsts = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            stack = Stack(rasa_port=free_port(), action_port=free_port(), db_path=Path(tmp) / "t.db",
                          log_dir=Path(tmp) / "logs")
            began = time.monotonic()
            stack.start(model)
            starts.append(time.monotonic() - began)
            try:
                client = RoleplayClient(stack.url, f"bench-{run}")
                client.start("nl", "welcome")
                began = time.monotonic()
                client.send("goedemorgen mevrouw, mag ik uw naam?")
                firsts.append(time.monotonic() - began)
            finally:
                stack.stop()
        print(f"run {run + 1}: servers answering after {starts[-1]:.1f} s; first learner turn {firsts[-1] * 1000:.0f} ms")
    print(f"cold start median {statistics.median(starts):.1f} s (min {min(starts):.1f}, max {max(starts):.1f}); "
          f"first turn median {statistics.median(firsts) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
