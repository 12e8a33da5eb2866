"""Load and check the instructors' scenario files (data/scenarios/<id>/scenario.yml); no Rasa imports."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

LANGUAGES = ("nl", "fr", "de")
PERSONA_ROLES = ("patient", "colleague")
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "data" / "scenarios"


class ScenarioError(ValueError):
    """A scenario file an instructor must fix; the message names the file, the line and the problem."""

    def __init__(self, path: Path, line: Optional[int], problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = path, line, problem


@dataclass(frozen=True)
class Reaction:
    """What the persona says when the learner performs one act."""

    say: str
    again: Optional[str] = None
    ask: Optional[str] = None
    needs: Tuple[Tuple[str, str], ...] = ()
    ends: bool = False


@dataclass(frozen=True)
class Question:
    """A question the persona asks back, unless the learner already covered it."""

    say: str
    unless: Tuple[str, ...] = ()
    affirm: Optional[str] = None
    deny: Optional[str] = None


@dataclass(frozen=True)
class Step:
    """One step of the learner's task; done when any of its acts was understood."""

    id: str
    label: str
    acts: Tuple[str, ...]


@dataclass(frozen=True)
class Version:
    """The persona's name and the learner's English brief in one language."""

    name: str
    brief: str


@dataclass(frozen=True)
class Scenario:
    """A role-play: persona, learner steps, and how the persona reacts to each act."""

    id: str
    title: str
    role: str
    languages: Mapping[str, Version]
    steps: Tuple[Step, ...]
    reactions: Mapping[str, Reaction]
    questions: Mapping[str, Question]
    not_understood: str
    opening: Optional[str] = None
    order: int = 100
    persona: Mapping[str, Any] = field(default_factory=dict)

    def response_names(self) -> set[str]:
        """Return every domain response this scenario may utter."""
        names = {self.not_understood} | ({self.opening} if self.opening else set())
        for reaction in self.reactions.values():
            names |= {n for n in (reaction.say, reaction.again) if n}
            names |= {alt for _, alt in reaction.needs}
        for question in self.questions.values():
            names |= {n for n in (question.say, question.affirm, question.deny) if n}
        return names

    def acts(self) -> set[str]:
        """Return every learner act the scenario mentions."""
        acts = set(self.reactions)
        for step in self.steps:
            acts |= set(step.acts)
        for reaction in self.reactions.values():
            acts |= {act for act, _ in reaction.needs}
        for question in self.questions.values():
            acts |= set(question.unless)
        return acts


class _Reader:
    """Typed access to one parsed YAML file that reports problems with their line numbers."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def line_of(self, node: Any, key: Any) -> Optional[int]:
        try:
            return node.lc.key(key)[0] + 1
        except (AttributeError, KeyError, TypeError):
            return getattr(getattr(node, "lc", None), "line", -1) + 1 or None

    def fail(self, node: Any, key: Any, problem: str) -> ScenarioError:
        return ScenarioError(self.path, self.line_of(node, key), problem)

    def mapping(self, node: Any, key: str, *, required: bool = True) -> Mapping[str, Any]:
        value = node.get(key) if isinstance(node, Mapping) else None
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(node, key, f"'{key}' must be a mapping")
        return value

    def text(self, node: Any, key: str, *, required: bool = True) -> Optional[str]:
        value = node.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, key, f"'{key}' must be a non-empty text")
        return value.strip()

    def names(self, node: Any, key: str) -> Tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(node, key, f"'{key}' must be a list of names")
        return tuple(value)


def _reaction(reader: _Reader, node: Any, act: str, questions: Mapping[str, Any]) -> Reaction:
    if not isinstance(node, Mapping):
        raise reader.fail(node, act, f"reaction to '{act}' must be a mapping with 'say'")
    unknown = set(node) - {"say", "again", "ask", "needs", "ends"}
    if unknown:
        raise reader.fail(node, sorted(unknown)[0], f"unknown key '{sorted(unknown)[0]}' in reaction to '{act}'")
    ask = reader.text(node, "ask", required=False)
    if ask and ask not in questions:
        raise reader.fail(node, "ask", f"reaction to '{act}' asks '{ask}', which is not under 'questions'")
    needs = reader.mapping(node, "needs", required=False)
    return Reaction(
        say=reader.text(node, "say"),
        again=reader.text(node, "again", required=False),
        ask=ask,
        needs=tuple((str(k), str(v)) for k, v in needs.items()),
        ends=bool(node.get("ends", False)),
    )


def parse_scenario(path: Path) -> Scenario:
    """Parse one scenario file, raising ScenarioError with the line of the first problem."""
    reader = _Reader(path)
    try:
        doc = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ScenarioError(path, mark.line + 1 if mark else None, f"not valid YAML: {error}") from None
    if not isinstance(doc, Mapping):
        raise ScenarioError(path, 1, "the file must be a mapping")
    scenario_id = reader.text(doc, "id")
    if scenario_id != path.parent.name:
        raise reader.fail(doc, "id", f"id '{scenario_id}' must match the folder name '{path.parent.name}'")
    persona = reader.mapping(doc, "persona")
    role = reader.text(persona, "role")
    if role not in PERSONA_ROLES:
        raise reader.fail(persona, "role", f"persona role must be one of {', '.join(PERSONA_ROLES)}")
    languages: Dict[str, Version] = {}
    for code, node in reader.mapping(doc, "languages").items():
        if code not in LANGUAGES:
            raise reader.fail(doc["languages"], code, f"unknown language '{code}' (use {', '.join(LANGUAGES)})")
        languages[code] = Version(name=reader.text(node, "name"), brief=" ".join(reader.text(node, "brief").split()))
    if not languages:
        raise reader.fail(doc, "languages", "at least one language is needed")
    steps = []
    for node in doc.get("steps") or []:
        steps.append(Step(id=reader.text(node, "id"), label=reader.text(node, "label"), acts=reader.names(node, "acts")))
    if not steps:
        raise reader.fail(doc, "steps", "at least one step is needed")
    question_nodes = reader.mapping(doc, "questions", required=False)
    questions = {
        name: Question(
            say=reader.text(node, "say"),
            unless=reader.names(node, "unless"),
            affirm=reader.text(node, "affirm", required=False),
            deny=reader.text(node, "deny", required=False),
        )
        for name, node in question_nodes.items()
    }
    reaction_nodes = reader.mapping(doc, "reactions")
    reactions = {act: _reaction(reader, node, act, question_nodes) for act, node in reaction_nodes.items()}
    if not any(r.ends for r in reactions.values()):
        raise reader.fail(doc, "reactions", "one reaction must have 'ends: true' so the learner can close")
    return Scenario(
        id=scenario_id,
        title=reader.text(doc, "title"),
        role=role,
        languages=languages,
        steps=tuple(steps),
        reactions=reactions,
        questions=questions,
        not_understood=reader.text(doc, "not_understood"),
        opening=reader.text(doc, "opening", required=False),
        order=int(doc.get("order", 100)),
        persona=dict(persona),
    )


def load_scenarios(root: Path = DEFAULT_ROOT) -> Dict[str, Scenario]:
    """Load every scenario under root, in menu order."""
    scenarios = [parse_scenario(path) for path in sorted(root.glob("*/scenario.yml"))]
    return {s.id: s for s in sorted(scenarios, key=lambda s: (s.order, s.id))}
