# Shared by scripts/serve and scripts/test: make .venv and install the project, idempotently.
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install Debian packages that are missing (one apt-get update per run, only when needed).
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo ">> 安装系统软件包: ${missing[*]}"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
  fi
}

# .venv with the project installed; reinstalls only when setup.cfg or pyproject.toml change.
ensure_venv() {
  local extras="$1"
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  local stamp=".stamps/install-${extras:-base}"
  local digest
  digest="$(cat setup.cfg pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo ">> 安装 Python 依赖 (${extras:-base})"
    .venv/bin/python -m pip install -q --upgrade pip
    # opencc-python-reimplemented (used before) and the official opencc both install the
    # module `opencc`: the old one goes, and the official one is installed afresh below.
    if .venv/bin/python -m pip show -q opencc-python-reimplemented >/dev/null 2>&1; then
      .venv/bin/python -m pip uninstall -y -q opencc-python-reimplemented opencc
    fi
    if [ -n "$extras" ]; then
      .venv/bin/python -m pip install -q -e ".[$extras]"
    else
      .venv/bin/python -m pip install -q -e .
    fi
    mkdir -p .stamps
    echo "$digest" > "$stamp"
  fi
}
