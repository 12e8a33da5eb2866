"""Shared fixtures: the project's data files, and one running stack for the tests that need servers."""
from __future__ import annotations

import json
import uuid
from typing import Any, Dict, Iterator, List, Set

import pytest
import yaml

from actions.scenarios import Scenario, load_scenarios
from bot.client import RoleplayClient
from bot.stack import ROOT, Stack, ensure_model, free_port

LANGUAGES = ("nl", "fr", "de")


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def scenarios() -> Dict[str, Scenario]:
    return load_scenarios()


def lines_by_language(domain: Dict[str, Any]) -> Dict[str, Set[str]]:
    """Map each language to every persona line written in it."""
    lines: Dict[str, Set[str]] = {code: set() for code in LANGUAGES}
    for variations in domain["responses"].values():
        for variation in variations:
            for condition in variation.get("condition") or []:
                if condition.get("name") == "language":
                    lines[condition["value"]].add(variation["text"])
    return lines


@pytest.fixture(scope="session")
def persona_lines(domain: Dict[str, Any]) -> Dict[str, Set[str]]:
    return lines_by_language(domain)


def load_test_stories() -> List[Dict[str, Any]]:
    """Return the end-to-end stories with their language, scenario and learner turns."""
    doc = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text(encoding="utf-8"))
    stories = []
    for story in doc["stories"]:
        users = [step for step in story["steps"] if "user" in step]
        start = json.loads(users[0]["user"].strip()[len("/start_roleplay"):])
        turns = [(step["user"].strip(), step["intent"]) for step in users[1:]]
        stories.append({"name": story["story"], **start, "turns": turns})
    return stories


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Both servers, on free ports with a fresh SQLite tracker store, for the whole test session."""
    state = tmp_path_factory.mktemp("stack")
    running = Stack(rasa_port=free_port(), action_port=free_port(), db_path=state / "tracker.db",
                    log_dir=state / "logs")
    running.start(ensure_model(quiet=True))
    yield running
    running.stop()


@pytest.fixture
def client(stack: Stack) -> RoleplayClient:
    """A new learner, with a pseudonym of its own."""
    return RoleplayClient(stack.url, f"test-{uuid.uuid4().hex[:10]}")
