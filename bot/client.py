"""Talk to the role-play assistant over Rasa's REST channel, as PROTOCOL.md describes."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import requests

Message = Dict[str, Any]


class PartnerUnavailable(RuntimeError):
    """The assistant could not be reached or gave no answer; the learner's text was not lost by us."""


def event_of(message: Message) -> Optional[Dict[str, Any]]:
    """Return the role-play event carried by a bot message, or None for plain text."""
    custom = message.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("roleplay"), dict):
        return custom["roleplay"]
    return None


def find_event(messages: List[Message], name: str) -> Optional[Dict[str, Any]]:
    """Return the first event of that name among the messages."""
    return next((e for e in map(event_of, messages) if e and e.get("event") == name), None)


@dataclass
class RoleplayClient:
    """One learner's connection to the assistant; sender is a pseudonym, never a real identity."""

    base_url: str
    sender: str
    timeout_s: float = 30.0

    def send(self, text: str) -> List[Message]:
        """Send one message and return the assistant's bot messages."""
        try:
            reply = requests.post(f"{self.base_url}/webhooks/rest/webhook",
                                  json={"sender": self.sender, "message": text}, timeout=self.timeout_s)
            reply.raise_for_status()
            messages = reply.json()
        except (requests.RequestException, ValueError) as error:
            raise PartnerUnavailable(f"The practice partner is not available ({type(error).__name__}).") from error
        if not isinstance(messages, list) or not messages:
            # Rasa answers [] when an action failed inside (for instance a dead action server).
            raise PartnerUnavailable("The practice partner gave no answer.")
        return messages

    def list_scenarios(self) -> List[Dict[str, Any]]:
        """Return the scenarios the assistant offers."""
        event = find_event(self.send("/list_scenarios"), "scenarios")
        if event is None:
            raise PartnerUnavailable("The practice partner did not list its scenarios.")
        return list(event["scenarios"])

    def start(self, language: str, scenario: str) -> List[Message]:
        """Start a role-play, replacing any running one."""
        return self.send("/start_roleplay" + json.dumps({"language": language, "scenario": scenario}))

    def end(self) -> List[Message]:
        """End the running role-play."""
        return self.send("/end_roleplay")
