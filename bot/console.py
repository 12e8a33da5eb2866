"""Practise a role-play in the terminal: no account, no token, no network beyond this machine."""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from typing import Any, Callable, Dict, List, Optional

from bot.client import PartnerUnavailable, RoleplayClient, find_event
from bot.render import Renderer
from bot.stack import VAR, StackError, from_env
from bot.texts import LANGUAGE_NAMES, text

MAX_INPUT_CHARS = 500


class Quit(Exception):
    """The learner asked to leave, or the input ended."""


def console_sender() -> str:
    """Return this machine's pseudonymous console learner id, created once and kept in var/."""
    path = VAR / "console-sender"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(f"console-{uuid.uuid4().hex[:12]}")
    return path.read_text().strip()


class Console:
    """The menu and the conversation loop, reading with ask() and writing with say()."""

    def __init__(self, client: RoleplayClient, ask: Callable[[str], str] = input,
                 say: Callable[[str], None] = print) -> None:
        self.client, self.ask, self.say = client, ask, say
        self.renderer = Renderer()
        self.current: Optional[tuple[str, str]] = None

    def read(self, prompt: str) -> str:
        try:
            return self.ask(prompt)
        except (EOFError, KeyboardInterrupt):
            raise Quit from None

    def choose(self, title: str, options: List[tuple[str, str]]) -> str:
        """Ask for one option by number or id until the answer is valid."""
        self.say(title)
        for number, (_, label) in enumerate(options, 1):
            self.say(f"  {number}. {label}")
        ids = [option_id for option_id, _ in options]
        while True:
            answer = self.read("> ").strip()
            if answer == "/quit":
                raise Quit
            if answer.isdigit() and 1 <= int(answer) <= len(options):
                return ids[int(answer) - 1]
            if answer in ids:
                return answer
            self.say(text("choose_number", count=len(options)))

    def menu(self, language: Optional[str] = None, scenario: Optional[str] = None) -> tuple[str, str]:
        """Pick a language and a scenario, from the assistant's own list."""
        scenarios: List[Dict[str, Any]] = self.client.list_scenarios()
        languages = sorted({code for s in scenarios for code in s["languages"]}, key=list(LANGUAGE_NAMES).index)
        if language not in languages:
            language = self.choose(text("choose_language"),
                                   [(code, LANGUAGE_NAMES.get(code, code)) for code in languages])
        offered = [s for s in scenarios if language in s["languages"]]
        if scenario not in [s["id"] for s in offered]:
            scenario = self.choose(text("choose_scenario"),
                                   [(s["id"], text("scenario_option", title=s["title"], persona=s["persona"]))
                                    for s in offered])
        return language, scenario

    def send(self, text: str) -> bool:
        """Send one line and show the reply; retry once, and report (not lose) a line that failed."""
        for attempt in (1, 2):
            try:
                messages = self.client.send(text)
            except PartnerUnavailable as error:
                if attempt == 1:
                    time.sleep(1.0)
                    continue
                self.say(text("line_kept", error=error))
                return False
            self.say(self.renderer.render(messages))
            if find_event(messages, "ended"):
                self.current = None
            return True
        return False

    def start(self, language: str, scenario: str) -> None:
        self.current = (language, scenario)
        self.say(self.renderer.render(self.client.start(language, scenario)))

    def converse(self) -> None:
        """Run role-plays until the learner quits."""
        pending: Optional[str] = None
        while True:
            if self.current is None:
                self.say(text("choose_next"))
                self.start(*self.menu())
            line = self.read("you> ").strip()
            if not line:
                if pending and self.send(pending):
                    pending = None
                continue
            if line.startswith("/"):
                self.command(line)
                continue
            if len(line) > MAX_INPUT_CHARS:
                self.say(text("too_long", length=len(line), limit=MAX_INPUT_CHARS))
                continue
            pending = None if self.send(line) else line

    def command(self, line: str) -> None:
        word = line.split()[0].lower()
        if word == "/quit":
            raise Quit
        if word == "/help":
            self.say(text("help"))
        elif word == "/end":
            self.send("/end_roleplay")
            self.current = None
        elif word == "/restart" and self.current:
            self.start(*self.current)
        elif word == "/menu":
            self.current = None
        else:
            # Never forwarded: Rasa would read it as an intent and skip understanding.
            self.say(text("unknown_command", command=word) + "\n" + text("help"))


def main(argv: Optional[List[str]] = None) -> int:
    """Start the servers (unless --url is given), then run the console until /quit."""
    parser = argparse.ArgumentParser(description="Practise a role-play in the terminal.")
    parser.add_argument("--language", choices=sorted(LANGUAGE_NAMES), help="skip the language menu")
    parser.add_argument("--scenario", help="skip the scenario menu (welcome, appointment, procedure, colleague)")
    parser.add_argument("--url", help="use an assistant already running at this URL instead of starting one")
    args = parser.parse_args(argv)
    stack = None
    try:
        if not args.url:
            print(text("starting"), flush=True)
            stack = from_env().start()
            print(text("ready", seconds=stack.started_in_s), flush=True)
        client = RoleplayClient(args.url or stack.url, console_sender())
        console = Console(client)
        try:
            console.start(*console.menu(args.language, args.scenario))
            console.converse()
        except Quit:
            if console.current:
                console.send("/end_roleplay")
            print(text("goodbye"))
        except PartnerUnavailable as error:
            print(text("partner_gone", error=error), file=sys.stderr)
            return 1
    except StackError as error:
        print(error, file=sys.stderr)
        return 2
    finally:
        if stack:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
