"""The console's English wording, kept in texts.yml so that it can be edited without touching code."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

TEXTS: Dict[str, Any] = yaml.safe_load((Path(__file__).with_name("texts.yml")).read_text(encoding="utf-8"))
LANGUAGE_NAMES: Dict[str, str] = TEXTS["language_names"]


def text(key: str, **values: Any) -> str:
    """Return the wording for key with its placeholders filled in."""
    return str(TEXTS[key]).format(**values)
