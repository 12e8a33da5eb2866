"""The persona's decisions, turn by turn, on the shipped scenarios (pure logic, no servers)."""
from __future__ import annotations

from typing import List, Sequence, Tuple

import pytest

from actions.persona import State, Turn, acts_of, reply, steps_covered, usable_text


def play(scenario, turns: Sequence[Tuple[str, str]]) -> List[Turn]:
    state, played = State(), []
    for intent, text in turns:
        played.append(reply(scenario, state, intent, text))
        state = played[-1].state
    return played


@pytest.mark.parametrize("scenario_id, turns, last_responses", [
    # The persona answers the act it understood, whatever the order.
    ("welcome", [("ask_birthdate", "uw geboortedatum?")], ["utter_welcome_birthdate", "utter_welcome_ask_card"]),
    ("welcome", [("ask_id_card", "uw kaart"), ("ask_birthdate", "geboortedatum?")], ["utter_welcome_birthdate"]),
    # Two acts in one message get two answers, in the learner's order.
    ("welcome", [("greet+ask_name", "goedemorgen, uw naam?")], ["utter_welcome_greet", "utter_welcome_name"]),
    # Asked twice, the patient is a little surprised.
    ("welcome", [("ask_name", "naam?"), ("ask_name", "uw naam?")], ["utter_welcome_name_again"]),
    # A yes to the patient's own question ("do you need my card?") gets the card handed over.
    ("welcome", [("ask_birthdate", "geboren?"), ("affirm", "ja graag")], ["utter_welcome_id_card"]),
    # Without a pending question, yes is just acknowledged.
    ("welcome", [("affirm", "ja")], ["utter_welcome_ok"]),
    # The ask-back is skipped when the learner already covered it, and asked only once.
    ("welcome", [("send_to_waiting_room", "wachtzaal"), ("give_appointment", "10u30")], ["utter_welcome_appointment"]),
    ("appointment", [("give_appointment", "donderdag"), ("deny", "nee"), ("give_appointment", "dus donderdag")],
     ["utter_appointment_confirm_repeat"]),
    ("appointment", [("give_appointment+remind_to_bring", "donderdag, breng uw eID mee")],
     ["utter_appointment_accept", "utter_appointment_reminder_ok"]),
    # Consent asked before anything was explained: the anxious patient asks what for.
    ("procedure", [("ask_consent", "mag ik beginnen?")], ["utter_procedure_what_for"]),
    ("procedure", [("explain_procedure", "ik meet uw bloeddruk"), ("ask_consent", "is dat goed?")],
     ["utter_procedure_consent_yes"]),
    ("procedure", [("explain_how", "mouw omhoog")], ["utter_procedure_how_ok", "utter_procedure_ask_long"]),
    # The nurse needs the facts before she gives an instruction.
    ("colleague", [("ask_instruction", "wat moet ik doen?")], ["utter_colleague_what_happened"]),
    ("colleague", [("report_observation", "hij is duizelig")], ["utter_colleague_observation", "utter_colleague_ask_who"]),
    ("colleague", [("identify_patient+report_observation", "meneer Willems is duizelig"),
                   ("ask_instruction", "wat moet ik doen?")], ["utter_colleague_instruction"]),
])
def test_persona_reacts_to_what_was_understood(scenarios, scenario_id, turns, last_responses):
    assert play(scenarios[scenario_id], turns)[-1].responses == last_responses


@pytest.mark.parametrize("intent, text", [
    ("nlu_fallback", "goedemorgen mevrouw"),
    ("out_of_scope", "who won the match yesterday?"),
    ("greet", ""),
    ("greet", "ok"[:1]),
    ("greet", "🙂🙂🙂"),
    ("greet", "Здравствуйте, как дела?"),
    ("greet", "你好"),
    ("greet", "goedemorgen " * 80),
    ("explain_how", "mouw omhoog alstublieft"),  # not an act of the welcome scenario
])
def test_unclear_or_off_topic_input_gets_a_request_to_repeat(scenarios, intent, text):
    turn = reply(scenarios["welcome"], State(), intent, text)
    assert turn.not_understood
    assert turn.responses == ["utter_welcome_not_understood"]
    assert turn.state.turns == 1 and turn.state.active


@pytest.mark.parametrize("text, usable", [
    ("Goedemorgen", True), ("ca va?", True), ("Grüß Gott", True), ("ja", True),
    ("10u30", True), ("9h", True), ("a", False), ("??", False), ("👍", False), ("مرحبا", False), ("", False), ("   ", False),
])
def test_usable_text(text, usable):
    assert usable_text(text) is usable


def test_closing_ends_the_role_play_and_reports_steps(scenarios):
    played = play(scenarios["welcome"], [("greet+ask_name", "dag mevrouw, uw naam?"), ("ask_birthdate", "geboren?"),
                                         ("thank+goodbye", "dank u, tot ziens")])
    last = played[-1]
    assert last.ended and not last.state.active
    assert last.responses == ["utter_welcome_thank", "utter_welcome_goodbye"]
    covered = {step.id: step.done for step in steps_covered(scenarios["welcome"], last.state)}
    assert covered == {"greet": True, "ask_name": True, "ask_birthdate": True, "ask_card": False,
                       "confirm_appointment": False, "waiting_room": False, "close": True}


@pytest.mark.parametrize("turns, responses", [
    ([("greet", "dag mevrouw"), ("ask_name", "uw naam?"), ("greet", "ok dag")], ["utter_welcome_goodbye"]),
    ([("greet", "dag mevrouw"), ("ask_name", "uw naam?"), ("nlu_fallback", "allez, dag hé")], ["utter_welcome_goodbye"]),
    ([("greet", "goedemorgen"), ("ask_name", "uw naam?"), ("greet", "salut madame")], ["utter_welcome_goodbye"]),
    ([("greet", "goedemorgen"), ("ask_name", "uw naam?"), ("thank", "merci, dag mevrouw")],
     ["utter_welcome_thank", "utter_welcome_goodbye"]),
    # Not a goodbye: no leave-taking word, other words around it, or no greeting yet / too early.
    ([("greet", "dag mevrouw"), ("ask_name", "uw naam?"), ("greet", "goedemorgen mevrouw")], ["utter_welcome_greet"]),
    ([("greet", "dag mevrouw"), ("ask_name", "uw naam?"), ("ask_birthdate", "dag, wat is uw geboortedatum?")],
     ["utter_welcome_birthdate", "utter_welcome_ask_card"]),
    ([("greet", "dag mevrouw"), ("greet", "dag")], ["utter_welcome_greet"]),
    ([("ask_name", "uw naam?"), ("ask_birthdate", "geboren?"), ("greet", "dag mevrouw")], ["utter_welcome_greet"]),
])
def test_dag_and_salut_at_the_end_are_a_goodbye(scenarios, turns, responses):
    last = play(scenarios["welcome"], turns)[-1]
    assert last.responses == responses
    assert last.ended is ("utter_welcome_goodbye" in responses)


def test_state_survives_the_slot_round_trip(scenarios):
    state = play(scenarios["colleague"], [("get_attention", "heb je even?"), ("report_observation", "duizelig")])[-1].state
    assert State.from_slot(state.to_slot()) == state
    assert State.from_slot(None) is None


def test_acts_of_splits_multi_intents():
    assert acts_of("greet+ask_name") == ["greet", "ask_name"]
    assert acts_of("greet") == ["greet"]
