#!/usr/bin/env bash
# Prints the folder of the PostgreSQL server binaries (initdb, postgres) the Registry Server
# tests run, installing Debian's `postgresql` package when none is there. The tests start their
# own server from these binaries, with its own data directory, on loopback; nothing here starts
# or configures a system service.
#
#   tools/postgres.sh          # the bin folder, e.g. /usr/lib/postgresql/15/bin
set -euo pipefail

die() { echo "tools/postgres.sh: $*" >&2; exit 1; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then echo "$d"; return 0; fi
  done
  return 1
}

if bin="$(find_bin)"; then echo "$bin"; exit 0; fi

# Debian's packages: the server binaries, without starting the packaged service.
command -v apt-get >/dev/null 2>&1 || die "PostgreSQL's server binaries are missing and apt-get is not available: install PostgreSQL 15 or newer (initdb and postgres under /usr/lib/postgresql/<v>/bin)"
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "installing Debian's postgresql package needs root (or sudo)"
  SUDO=sudo
fi
echo "tools/postgres.sh: installing Debian's postgresql package ..." >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the package's service is not started (the tests start their own server).
policy=/usr/sbin/policy-rc.d
created_policy=""
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && created_policy=1
fi
{ $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } >&2 || {
  [[ -n "$created_policy" ]] && $SUDO rm -f "$policy"
  die "apt-get install postgresql failed"
}
[[ -n "$created_policy" ]] && $SUDO rm -f "$policy"
bin="$(find_bin)" || die "installed postgresql, but found no initdb and postgres under /usr/lib/postgresql/*/bin"
echo "$bin"
