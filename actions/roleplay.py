"""Rasa actions: thin adapters between the tracker and the pure persona logic."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import persona
from actions.scenarios import Scenario, load_scenarios

logger = logging.getLogger(__name__)

STATE_SLOT = "roleplay"
SCENARIOS: Dict[str, Scenario] = load_scenarios()


def _event(name: str, **fields: Any) -> Dict[str, Any]:
    return {"roleplay": {"event": name, **fields}}


def _running(tracker: Tracker) -> Optional[tuple[Scenario, persona.State, str]]:
    state = persona.State.from_slot(tracker.get_slot(STATE_SLOT))
    scenario = SCENARIOS.get(tracker.get_slot("scenario") or "")
    language = tracker.get_slot("language")
    if state is None or not state.active or scenario is None or language not in scenario.languages:
        return None
    return scenario, state, language


def _say_no_roleplay(dispatcher: CollectingDispatcher) -> List[EventType]:
    dispatcher.utter_message(response="utter_no_roleplay")
    dispatcher.utter_message(json_message=_event("no_roleplay"))
    return []


def _ended_event(scenario: Scenario, state: persona.State, language: str, reason: str) -> Dict[str, Any]:
    steps = [vars(step) for step in persona.steps_covered(scenario, state)]
    return _event("ended", scenario=scenario.id, language=language, reason=reason, turns=state.turns, steps=steps)


class ActionListScenarios(Action):
    """Reply with the scenarios event for the client's menu."""

    def name(self) -> str:
        return "action_list_scenarios"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        scenarios = [
            {"id": s.id, "title": s.title, "persona": s.role, "languages": list(s.languages)}
            for s in SCENARIOS.values()
        ]
        dispatcher.utter_message(json_message=_event("scenarios", scenarios=scenarios))
        return []


class ActionStartRoleplay(Action):
    """Start the role-play named in the request, replacing any running one."""

    def name(self) -> str:
        return "action_start_roleplay"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        # Read the request itself: a slot could still hold the previous role-play's value.
        language = next(tracker.get_latest_entity_values("language"), None)
        scenario_id = next(tracker.get_latest_entity_values("scenario"), None)
        scenario = SCENARIOS.get(scenario_id or "")
        if scenario is None or language not in scenario.languages:
            dispatcher.utter_message(
                response="utter_cannot_start",
                requested_language=str(language), requested_scenario=str(scenario_id),
                scenarios=", ".join(SCENARIOS), languages=", ".join(persona_languages()),
            )
            return [SlotSet("language", None), SlotSet("scenario", None), SlotSet(STATE_SLOT, None)]
        version = scenario.languages[language]
        dispatcher.utter_message(json_message=_event(
            "started", scenario=scenario.id, language=language, title=scenario.title, brief=version.brief,
            persona={"role": scenario.role, "name": version.name},
        ))
        if scenario.opening:
            dispatcher.utter_message(response=scenario.opening)
        return [SlotSet(STATE_SLOT, persona.State().to_slot())]


class ActionPersonaReply(Action):
    """Answer a learner turn in the persona's voice, or ask to repeat when it was not understood."""

    def name(self) -> str:
        return "action_persona_reply"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        running = _running(tracker)
        if running is None:
            return _say_no_roleplay(dispatcher)
        scenario, state, language = running
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if text.lstrip().startswith("/"):
            # A typed "/intent{...}" skips understanding altogether; it is not a turn of the role-play.
            dispatcher.utter_message(response="utter_default")
            return []
        intent = (message.get("intent") or {}).get("name") or "nlu_fallback"
        turn = persona.reply(scenario, state, intent, text)
        logger.debug("turn %s: intent %s -> %s", turn.state.turns, intent, turn.responses)
        for response in turn.responses:
            dispatcher.utter_message(response=response)
        if turn.not_understood:
            dispatcher.utter_message(json_message=_event("not_understood"))
        if turn.ended:
            dispatcher.utter_message(json_message=_ended_event(scenario, turn.state, language, "closed"))
        return [SlotSet(STATE_SLOT, turn.state.to_slot())]


class ActionEndRoleplay(Action):
    """End the running role-play at the client's request and report the steps covered."""

    def name(self) -> str:
        return "action_end_roleplay"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        running = _running(tracker)
        if running is None:
            return _say_no_roleplay(dispatcher)
        scenario, state, language = running
        dispatcher.utter_message(json_message=_ended_event(scenario, state, language, "ended"))
        return [SlotSet(STATE_SLOT, {**state.to_slot(), "active": False})]


def persona_languages() -> List[str]:
    """Return every language at least one scenario is written in."""
    return sorted({code for s in SCENARIOS.values() for code in s.languages})
