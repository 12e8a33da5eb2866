"""The terminal console, driven through its standard input like a learner would type."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from bot.stack import ROOT, StackError, ensure_model, free_port, port_is_free


def run_console(lines, *args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "bot.console", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env)


def test_a_learner_plays_a_scenario_from_the_menus(stack):
    result = run_console(["2", "1", "bonjour madame", "/unknown", "", "votre nom s'il vous plait",
                          "/end", "/quit"], "--url", stack.url)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Which language do you want to practise?" in out and "Français (French)" in out
    assert "Welcoming a patient at the desk - Français (French)" in out
    assert "Monique Lambert: " in out  # persona lines carry the persona's name
    assert "Unknown command /unknown" in out
    assert "Role-play over. Your turns: 2." in out and "[x] Ask the patient's name" in out
    assert '{"' not in out and "'event'" not in out  # never raw JSON


def test_restart_and_a_second_role_play_without_menus(stack):
    result = run_console(["guten Tag, ich bin Sam, die Praxisassistentin", "/restart", "/menu", "3", "4",
                          "sorry dass ich störe, hast du kurz Zeit?", "/quit"],
                         "--url", stack.url, "--language", "de", "--scenario", "procedure")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("Explaining a blood-pressure measurement - Deutsch (German)") == 2
    assert "Reporting a concern to a nurse - Deutsch (German)" in out and "Monika Heinen: " in out
    assert "Goodbye." in out


def test_overlong_and_empty_lines_are_not_sent(stack):
    result = run_console(["", "a" * 600, "/end", "/quit"], "--url", stack.url, "--language", "nl",
                         "--scenario", "welcome")
    assert "say it in shorter turns" in result.stdout
    assert "Role-play over. Your turns: 0." in result.stdout


def test_the_console_starts_and_stops_its_own_servers():
    ports = {"RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port())}
    result = run_console(["dag meneer, met Sam van praktijk De Linde", "/quit"], "--language", "nl",
                         "--scenario", "appointment", env={**os.environ, **ports})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ready in" in result.stdout and "Koen De Smet: " in result.stdout
    assert all(port_is_free(int(p)) for p in ports.values())


def test_a_taken_port_is_reported_clearly():
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        result = run_console([], env={**os.environ, "RASA_PORT": str(taken), "ACTION_PORT": str(free_port())})
    assert result.returncode == 2
    assert f"Port {taken} for the Rasa server is already taken" in result.stderr


def test_a_failed_training_is_reported_with_the_end_of_its_log(tmp_path):
    for name in ("config.yml", "domain.yml", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    # A rule that uses an action the domain does not know stops Rasa before any training.
    with (tmp_path / "data" / "rules" / "roleplay.yml").open("a") as rules:
        rules.write("\n- rule: broken\n  steps:\n  - intent: greet\n  - action: action_nobody_wrote\n")
    with pytest.raises(StackError) as caught:
        ensure_model(quiet=True, root=tmp_path)
    assert "Training failed" in str(caught.value) and "action_nobody_wrote" in str(caught.value)
    assert not list((tmp_path / "models").glob("*.tar.gz"))
