#!/usr/bin/env bash
# Makes the Python virtual environment the Python programs of the Pulumi cluster tests run in
# (test/cluster/harness/languages.ts): the Pulumi Python SDK `pulumi` and the Kubernetes
# provider's Python SDK `pulumi-kubernetes`, installed with pip from PyPI into the git-ignored
# cache. Nothing but wheels from the package index: no prebuilt binary, no source build.
#
#   tools/python-sdk.sh          # make the venv if it is missing or its pins changed
#   tools/python-sdk.sh --print  # print the pinned SDK versions and the venv's python, make nothing
#
# Pins: tools/python-sdk/requirements.txt, every distribution with its hashes (pip installs it
# with --require-hashes), compiled from tools/python-sdk/requirements.in by pip-tools
# (the command is in its header). Changing a pin: edit requirements.in, compile it again, run
# this script. The venv is made anew only when its stamp (a digest of requirements.txt and the
# interpreter's version) differs from the one written by the last install.
#
# Output: $TOOLHIVE_CONSTRUCTS_CACHE/tools (default .cache/tools): python-sdk/ (the venv; a
# Pulumi.yaml's `runtime.options.virtualenv`), stamps/python-sdk.
# Needs python3 (3.10 or newer, the SDK's minimum) with its venv module (Debian: python3-venv)
# and the package index (or pip's cache).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/tools/python-sdk/requirements.txt"
OUT="${TOOLHIVE_CONSTRUCTS_CACHE:-$ROOT/.cache}/tools"
VENV="$OUT/python-sdk"
STAMP="$OUT/stamps/python-sdk"
PYTHON="${TOOLHIVE_PYTHON:-python3}"

die() { echo "tools/python-sdk.sh: $*" >&2; exit 1; }

# The version pinned for a distribution in requirements.txt.
pinned() { sed -n "s/^$1==\([^ ]*\) .*/\1/p" "$REQUIREMENTS"; }

if [[ "${1:-}" == "--print" ]]; then
  echo "pulumi $(pinned pulumi) $VENV/bin/python"
  echo "pulumi-kubernetes $(pinned pulumi-kubernetes) $VENV/bin/python"
  exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is needed to make the Pulumi Python SDK's venv (not found on PATH)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || die "Python 3.10 or newer is needed (the Pulumi Python SDK's minimum), found $("$PYTHON" --version 2>&1)"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
  || die "$PYTHON has no venv/ensurepip module (Debian: apt-get install python3-venv)"

stamp() {
  echo "requirements $(sha256sum "$REQUIREMENTS" | awk '{print $1}')"
  echo "python $("$PYTHON" -c 'import platform, sys; print(platform.python_version(), sys.platform, platform.machine())')"
}

mkdir -p "$OUT/stamps" "$OUT/locks"
(
  # One install at a time (CI makes it in the background while the harness may call this too).
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$OUT/locks/python-sdk.lock"
    flock -w 3600 9 || die "timed out after 1 h waiting for another install ($OUT/locks/python-sdk.lock)"
  fi
  s="$(stamp)"
  if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$s" ]]; then
    echo "tools/python-sdk.sh: the Pulumi Python SDK's venv is up to date ($VENV)"
    exit 0
  fi
  echo "tools/python-sdk.sh: making the Pulumi Python SDK's venv ($VENV) from tools/python-sdk/requirements.txt ..."
  start=$SECONDS
  # A venv cannot be moved once made: it is made in place, and the stamp written last marks it whole.
  rm -f "$STAMP"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || die "making the venv $VENV failed"
  # --no-deps: requirements.txt lists every distribution; --only-binary: wheels only, nothing compiled.
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet --no-input \
    --require-hashes --no-deps --only-binary=:all: -r "$REQUIREMENTS" \
    || die "installing tools/python-sdk/requirements.txt into $VENV failed"
  "$VENV/bin/python" -c 'import pulumi, pulumi_kubernetes' || die "the venv $VENV cannot import pulumi and pulumi_kubernetes"
  printf '%s\n' "$s" > "$STAMP"
  echo "tools/python-sdk.sh: made the venv in $((SECONDS - start)) s"
) || exit 1
