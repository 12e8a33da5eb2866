"""Turn the assistant's messages into readable terminal text (never raw JSON)."""
from __future__ import annotations

import textwrap
from typing import Any, Dict, List, Optional

from bot.client import Message, event_of
from bot.texts import LANGUAGE_NAMES, text


class Renderer:
    """Remembers who the persona is, so that its lines can be labelled with its name."""

    def __init__(self, width: int = 88) -> None:
        self.width = width
        self.persona: Optional[str] = None

    def wrap(self, text: str, indent: str = "") -> str:
        return textwrap.fill(text, self.width, initial_indent=indent, subsequent_indent=indent)

    def render(self, messages: List[Message]) -> str:
        """Return the text to print for one reply of the assistant."""
        return "\n".join(filter(None, (self.one(m) for m in messages)))

    def one(self, message: Message) -> str:
        event = event_of(message)
        if event is not None:
            return self.event(event)
        parts = []
        if message.get("text"):
            speaker = f"{self.persona}: " if self.persona else ""
            parts.append(self.wrap(speaker + message["text"]))
        for button in message.get("buttons") or []:
            parts.append(f"  [{button.get('title', '')}]")
        if message.get("image"):
            parts.append(f"  (image: {message['image']})")
        return "\n".join(parts)

    def event(self, event: Dict[str, Any]) -> str:
        name = event.get("event")
        if name == "started":
            persona = event.get("persona") or {}
            self.persona = persona.get("name")
            language = LANGUAGE_NAMES.get(event.get("language", ""), event.get("language", ""))
            return "\n".join([
                "",
                text("started_title", title=event.get("title", ""), language=language),
                self.wrap(event.get("brief", "")),
                text("started_persona", name=self.persona, role=persona.get("role", "")),
                "",
            ])
        if name == "not_understood":
            return text("not_understood")
        if name == "ended":
            return self.ended(event)
        if name == "no_roleplay":
            return ""
        if name == "scenarios":
            return text("scenarios", count=len(event.get("scenarios", [])))
        return text("unknown_event", name=name)

    def ended(self, event: Dict[str, Any]) -> str:
        steps = event.get("steps") or []
        done = sum(1 for s in steps if s.get("done"))
        lines = ["", text("ended", turns=event.get("turns", 0), done=done, total=len(steps))]
        lines += [f"  [{'x' if s.get('done') else ' '}] {s.get('label', s.get('id'))}" for s in steps]
        self.persona = None
        return "\n".join(lines + [""])
