"""What instructors edit (scenarios, persona lines, training data, rules) fits together."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from actions.scenarios import ScenarioError, load_scenarios, parse_scenario
from bot.stack import ROOT
from tests.conftest import LANGUAGES, load_test_stories

CONTROL_INTENTS = {"start_roleplay", "list_scenarios", "end_roleplay"}
PROTOCOL_SCENARIOS = {"welcome", "appointment", "procedure", "colleague"}


def learner_intents(domain: Dict[str, Any]) -> set[str]:
    return set(domain["intents"]) - CONTROL_INTENTS


def nlu_counts(language: str) -> Counter:
    doc = yaml.safe_load((ROOT / "data" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    return Counter({block["intent"]: len([l for l in block["examples"].splitlines() if l.strip()])
                    for block in doc["nlu"]})


def test_the_protocol_scenarios_exist_in_every_language(scenarios):
    assert PROTOCOL_SCENARIOS <= set(scenarios)
    for scenario in scenarios.values():
        assert set(scenario.languages) == set(LANGUAGES), scenario.id


def test_every_persona_line_a_scenario_uses_exists_in_each_of_its_languages(domain, scenarios):
    for scenario in scenarios.values():
        for name in sorted(scenario.response_names()):
            variations = domain["responses"].get(name)
            assert variations, f"{scenario.id} uses {name}, which domain.yml does not define"
            languages = {c["value"] for v in variations for c in v.get("condition") or [] if c["name"] == "language"}
            assert languages >= set(scenario.languages), f"{name} lacks {set(scenario.languages) - languages}"
            # A variation without a language condition would be said in the wrong language.
            assert all(v.get("condition") for v in variations), f"{name} has a variation for no language"


def test_every_scenario_act_is_an_intent_of_the_model(domain, scenarios):
    intents = learner_intents(domain)
    for scenario in scenarios.values():
        assert scenario.acts() <= intents, f"{scenario.id}: unknown acts {scenario.acts() - intents}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_learner_intent_has_at_least_20_examples_in_each_language(domain, language):
    counts = nlu_counts(language)
    short = {intent: counts[intent] for intent in learner_intents(domain) if counts[intent] < 20}
    assert not short, f"{language}: too few examples {short}"


def test_every_learner_intent_reaches_the_persona(domain):
    rules = yaml.safe_load((ROOT / "data" / "rules" / "roleplay.yml").read_text(encoding="utf-8"))
    rule = next(r for r in rules["rules"] if r["steps"][-1] == {"action": "action_persona_reply"})
    covered = {step["intent"] for step in rule["steps"][0]["or"]}
    assert covered == learner_intents(domain) | {"nlu_fallback"}


def test_end_to_end_stories_cover_every_scenario_and_language_happy_and_unhappy():
    seen = Counter((s["language"], s["scenario"]) for s in load_test_stories())
    assert {(l, s) for l in LANGUAGES for s in PROTOCOL_SCENARIOS} <= set(seen)
    assert all(n >= 2 for n in seen.values())


@pytest.mark.parametrize("old, new, problem", [
    ("role: patient", "role: doctor", "persona role must be one of"),
    ("  nl:\n    name: Maria", "  xx:\n    name: Maria", "unknown language 'xx'"),
    ("ask: wait}", "ask: lunch}", "asks 'lunch'"),
    ("ask_name: {say:", "ask_name: {sey:", "unknown key 'sey'"),
    ("id: welcome", "id: welcom", "must match the folder name"),
    ("questions:\n", "questions:\n  bad: [unclosed\n", "not valid YAML"),
])
def test_a_broken_scenario_file_is_reported_with_file_line_and_problem(tmp_path: Path, old, new, problem):
    source = (ROOT / "data" / "scenarios" / "welcome" / "scenario.yml").read_text(encoding="utf-8")
    assert old in source
    edited = source.replace(old, new, 1)
    broken = tmp_path / "welcome" / "scenario.yml"
    broken.parent.mkdir()
    broken.write_text(edited, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path)
    assert str(broken) in str(caught.value) and problem in str(caught.value)
    # The reported line is where the edit starts (a YAML syntax error: where the parser gave up, just after).
    edited_line = edited[: edited.index(new)].count("\n") + 1
    assert caught.value.line in (edited_line, edited_line + 1, edited_line + 2)


def test_a_scenario_nobody_can_close_is_refused(tmp_path: Path):
    source = (ROOT / "data" / "scenarios" / "welcome" / "scenario.yml").read_text(encoding="utf-8")
    (tmp_path / "welcome").mkdir()
    (tmp_path / "welcome" / "scenario.yml").write_text(source.replace(", ends: true}", "}"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="ends: true"):
        load_scenarios(tmp_path)


def test_shipped_scenarios_parse_one_by_one():
    for path in sorted((ROOT / "data" / "scenarios").glob("*/scenario.yml")):
        assert parse_scenario(path).id == path.parent.name
