#!/usr/bin/env bash
# Create .venv (if needed) and install the pinned dependencies.
#   scripts/bootstrap.sh runtime   -> requirements.txt
#   scripts/bootstrap.sh dev       -> requirements-dev.txt (tests, lint, browser driver)
# Re-installs only when the requirement files changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-runtime}"
venv="${VENV:-.venv}"
req="requirements.txt"
[ "$kind" = "dev" ] && req="requirements-dev.txt"

python="${PYTHON:-}"
if [ -z "$python" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python="$candidate"; break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "Tejido needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "Creating $venv with $("$python" --version)"
  "$python" -m venv "$venv"
fi

stamp="$venv/.installed-$kind"
digest="$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
  exit 0
fi
echo "Installing pinned dependencies ($req)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" -c constraints.txt
echo "$digest" > "$stamp"
