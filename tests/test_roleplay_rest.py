"""Whole role-plays over Rasa's REST channel, against the running Rasa and action servers."""
from __future__ import annotations

from typing import Any, Dict, List

import pytest
import requests

from bot.client import event_of, find_event
from tests.conftest import LANGUAGES, load_test_stories

STORIES = load_test_stories()


def texts(messages: List[Dict[str, Any]]) -> List[str]:
    return [m["text"] for m in messages if m.get("text")]


@pytest.mark.parametrize("story", STORIES, ids=[s["name"] for s in STORIES])
def test_a_whole_role_play_is_answered_in_the_chosen_language(client, scenarios, persona_lines, story):
    language, scenario = story["language"], scenarios[story["scenario"]]
    opening = client.start(language, scenario.id)
    started = find_event(opening, "started")
    assert started["language"] == language and started["scenario"] == scenario.id
    assert started["persona"] == {"role": scenario.role, "name": scenario.languages[language].name}
    assert started["brief"] and started["title"] == scenario.title
    assert all(text in persona_lines[language] for text in texts(opening))

    others = set().union(*(persona_lines[l] for l in LANGUAGES if l != language))
    for text, intent in story["turns"]:
        reply = client.send(text)
        said = texts(reply)
        assert said, f"no persona line for {text!r}"
        # Every line is one the persona has in the chosen language, and none of another language's.
        assert all(line in persona_lines[language] and line not in others for line in said), said
        if intent == "out_of_scope":
            assert find_event(reply, "not_understood"), f"{text!r} should be met with a request to repeat"
        else:
            assert not find_event(reply, "not_understood"), f"{text!r} was not understood"
    if story["name"].endswith(" happy path"):
        ended = find_event(reply, "ended")
        assert ended and ended["turns"] == len(story["turns"])
        assert [s["id"] for s in ended["steps"]] == [s.id for s in scenario.steps]
        assert all(s["done"] for s in ended["steps"]), [s for s in ended["steps"] if not s["done"]]


def test_scenarios_are_listed_for_the_menu(client, scenarios):
    event = find_event(client.send("/list_scenarios"), "scenarios")
    assert [s["id"] for s in event["scenarios"]] == list(scenarios)
    assert event["scenarios"][0] == {"id": "welcome", "title": scenarios["welcome"].title, "persona": "patient",
                                     "languages": ["nl", "fr", "de"]}
    assert {s["persona"] for s in event["scenarios"]} == {"patient", "colleague"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("message", ["", "x", "🙈🙈🙈", "Как пройти в больницу?", "谢谢", "blah " * 400, "?!?!"])
def test_unusable_input_gets_the_persona_asking_to_repeat(client, persona_lines, language, message):
    client.start(language, "welcome")
    reply = client.send(message)
    assert find_event(reply, "not_understood")
    assert texts(reply) and all(t in persona_lines[language] for t in texts(reply))


@pytest.mark.parametrize("payload", ['/nonsense{"foo": "bar"}', "/greet", '/goodbye{"x": 1}', "/ask_name+ask_birthdate"])
def test_a_typed_intent_payload_is_not_a_role_play_turn(client, payload):
    client.start("nl", "welcome")
    reply = client.send(payload)
    assert texts(reply) == ["That command is not part of the role-play. Just type what you would say."]
    assert not find_event(reply, "ended")
    # The role-play goes on afterwards, and the payload did not count as a turn.
    assert not find_event(client.send("goedemorgen mevrouw"), "no_roleplay")
    assert find_event(client.end(), "ended")["turns"] == 1


def test_talking_before_any_role_play_says_how_to_start(client):
    reply = client.send("goedemorgen")
    assert find_event(reply, "no_roleplay")
    assert "No role-play is running" in texts(reply)[0]


@pytest.mark.parametrize("language, scenario", [("xx", "welcome"), ("nl", "dentist")])
def test_an_unknown_language_or_scenario_is_refused_clearly(client, language, scenario):
    reply = client.start(language, scenario)
    assert not find_event(reply, "started")
    assert f"language '{language}', scenario '{scenario}'" in texts(reply)[0]
    assert find_event(client.send("bonjour"), "no_roleplay")


def test_starting_again_replaces_the_running_role_play(client, persona_lines):
    client.start("nl", "welcome")
    client.send("goedemorgen mevrouw")
    started = find_event(client.start("fr", "procedure"), "started")
    assert started["language"] == "fr" and started["scenario"] == "procedure"
    reply = client.send("bonjour madame")
    assert all(t in persona_lines["fr"] for t in texts(reply))
    ended = find_event(client.end(), "ended")
    assert ended["scenario"] == "procedure" and ended["turns"] == 1


def test_ending_reports_each_step_in_order_with_what_was_covered(client, scenarios):
    client.start("de", "colleague")
    client.send("Monika, hast du kurz Zeit?")
    client.send("es geht um Herrn Mreyen im Wartezimmer")
    ended = find_event(client.end(), "ended")
    assert ended["reason"] == "ended" and ended["turns"] == 2
    assert [(s["id"], s["done"]) for s in ended["steps"]] == [
        ("get_attention", True), ("identify_patient", True), ("report", False),
        ("ask_instruction", False), ("read_back", False), ("thank", False)]
    assert find_event(client.send("danke"), "no_roleplay")


def test_every_reply_is_a_text_or_a_protocol_event(client):
    client.start("fr", "appointment")
    for message in client.send("cabinet des tilleuls, bonjour, ici Sam") + client.end():
        assert message.get("text") or event_of(message), message


def test_learner_text_is_not_written_to_the_server_logs(stack, client):
    secret = "mijn naam is Zoë Vandeputte-Oosterlinck"
    client.start("nl", "welcome")
    client.send(secret)
    for server in ("rasa", "actions"):
        assert "Vandeputte-Oosterlinck" not in stack.log_path(server).read_text(encoding="utf-8", errors="replace")


def test_a_flemish_dag_at_the_end_closes_the_role_play(client):
    client.start("nl", "welcome")
    client.send("goedemorgen mevrouw")
    client.send("mag ik uw naam alstublieft?")
    ended = find_event(client.send("ok dag"), "ended")
    assert ended and ended["reason"] == "closed" and ended["turns"] == 3


@pytest.mark.parametrize("path", ["/status", "/conversations/anyone/tracker", "/model"])
def test_rasa_http_api_is_off(stack, path):
    # Rasa's HTTP API can read and rewrite any conversation (and older 3.6 releases could be made to run
    # code through it); only the REST channel is served.
    assert requests.get(stack.url + path, timeout=10).status_code == 404
