#!/usr/bin/env bash
# Create .venv with Python 3.10 and the pinned packages. Safe to run again: it only installs
# when requirements.txt changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidates=("${PYTHON:-}" python3.10)
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv root)"/versions/3.10*/bin/python3.10)
  fi
  candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10)
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  if ! python=$(find_python); then
    cat >&2 <<'MSG'
Python 3.10 is needed (Rasa 3.6 runs on 3.8-3.10; python-telegram-bot 22 needs 3.10+) and none was found.
Get it one of these ways, then run this command again:
  - pyenv:          pyenv install 3.10.13
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv   (where your release has it)
  - or point to one: PYTHON=/path/to/python3.10 ./scripts/practice
MSG
    exit 1
  fi
  echo "Creating .venv with $python"
  "$python" -m venv .venv
fi

stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing pinned packages into .venv (a few minutes the first time)..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check pip==24.0
  # One resolver run over the full pinned list, so nothing can drift (see requirements.txt).
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$wanted" > "$stamp"
fi
