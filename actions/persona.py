"""Decide what the persona says next from the learner's acts and the role-play state; no Rasa imports."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from actions.scenarios import Scenario

# Intents that mean "the model did not get a task-related act out of this message".
NOT_UNDERSTOOD_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
MAX_MESSAGE_CHARS = 600
_LEAVE_TAKING = yaml.safe_load((Path(__file__).parent / "leave_taking.yml").read_text(encoding="utf-8"))
LEAVE_WORDS = frozenset(_LEAVE_TAKING["both_ways"])
THANKS_WORDS = frozenset(_LEAVE_TAKING["thanks"])
LEAVE_TAKING_WORDS = LEAVE_WORDS | THANKS_WORDS | frozenset(_LEAVE_TAKING["fillers"])


@dataclass(frozen=True)
class State:
    """What the persona remembers about the running role-play (kept in one Rasa slot)."""

    done: Tuple[str, ...] = ()
    asked: Tuple[str, ...] = ()
    pending: Optional[str] = None
    turns: int = 0
    active: bool = True

    def to_slot(self) -> Dict[str, Any]:
        """Return the state as plain JSON for the tracker."""
        return {"done": list(self.done), "asked": list(self.asked), "pending": self.pending,
                "turns": self.turns, "active": self.active}

    @classmethod
    def from_slot(cls, value: Optional[Mapping[str, Any]]) -> Optional["State"]:
        """Rebuild the state from the slot, or None when no role-play was started."""
        if not value:
            return None
        return cls(done=tuple(value.get("done", ())), asked=tuple(value.get("asked", ())),
                   pending=value.get("pending"), turns=int(value.get("turns", 0)),
                   active=bool(value.get("active", False)))


@dataclass(frozen=True)
class Turn:
    """The persona's answer to one learner message."""

    responses: List[str]
    state: State
    not_understood: bool = False
    ended: bool = False


@dataclass(frozen=True)
class StepResult:
    """Whether one learner step was covered during the role-play."""

    id: str
    label: str
    done: bool


def usable_text(text: str) -> bool:
    """Tell whether a message can be a turn in a Dutch, French or German role-play at all."""
    text = text.strip()
    if len(text) > MAX_MESSAGE_CHARS:
        return False
    letters = [c for c in text if c.isalpha()]
    latin = [c for c in letters if unicodedata.name(c, "").startswith("LATIN")]
    digits = [c for c in text if c.isdigit()]
    # Other scripts share no features with the training data, and DIET answers such input
    # with misplaced confidence, so they are treated as not understood before the model counts.
    # Digits count as content: "10u30" or "9h" is a whole answer at the desk.
    return len(latin) + len(digits) >= 2 and len(latin) * 2 >= len(letters)


def acts_of(intent: str) -> List[str]:
    """Split a multi-intent such as greet+ask_name into its acts."""
    return [act for act in intent.split("+") if act]


def leave_taking(state: State, text: str) -> Optional[List[str]]:
    """Read a late "ok dag" or "merci, salut" as the goodbye it is, whatever the model made of it."""
    words = set(re.findall(r"\w+", text.lower()))
    if "greet" not in state.done or state.turns < 2 or not words & LEAVE_WORDS or words - LEAVE_TAKING_WORDS:
        return None
    return ["thank", "goodbye"] if words & THANKS_WORDS else ["goodbye"]


def reply(scenario: Scenario, state: State, intent: str, text: str) -> Turn:
    """Answer one learner message: react to each understood act, then maybe ask something back."""
    counted = replace(state, turns=state.turns + 1)
    acts = leave_taking(state, text) or acts_of(intent)
    known = [act for act in acts if act in scenario.reactions]
    if not usable_text(text) or not known or set(acts) & NOT_UNDERSTOOD_INTENTS:
        return Turn([scenario.not_understood], replace(counted, pending=None), not_understood=True)

    responses: List[str] = []
    done = list(state.done)
    pending = scenario.questions.get(state.pending) if state.pending else None
    ends = False
    last_reaction = None
    for act in known:
        answer = getattr(pending, act, None) if pending and act in ("affirm", "deny") else None
        reaction = scenario.reactions[act]
        missing = next((alt for need, alt in reaction.needs if need not in done), None)
        if answer:
            responses.append(answer)
        elif missing:
            responses.append(missing)
        elif act in done and reaction.again:
            responses.append(reaction.again)
        else:
            responses.append(reaction.say)
        if act not in done:
            done.append(act)
        ends = ends or reaction.ends
        last_reaction = reaction

    asked = list(state.asked)
    new_pending = None
    question_id = last_reaction.ask if last_reaction and not ends else None
    if question_id and question_id not in asked:
        question = scenario.questions[question_id]
        if not set(question.unless) & set(done):
            responses.append(question.say)
            asked.append(question_id)
            new_pending = question_id
    new_state = replace(counted, done=tuple(done), asked=tuple(asked), pending=new_pending, active=not ends)
    return Turn(_dedupe(responses), new_state, ended=ends)


def steps_covered(scenario: Scenario, state: State) -> List[StepResult]:
    """List every learner step of the scenario, in order, with whether one of its acts was understood."""
    return [StepResult(step.id, step.label, bool(set(step.acts) & set(state.done))) for step in scenario.steps]


def _dedupe(names: Sequence[str]) -> List[str]:
    # Two acts can share a reaction (affirm and deny both get "ok"); the persona says it once.
    seen: List[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen
