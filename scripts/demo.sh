#!/usr/bin/env bash
# README command 1: the whole product in under two minutes, from a fresh clone, as root.
# Installs what is missing, starts the loopback stack (Dovecot, Redis, SMTP sink), feeds
# fixture emails with 2023 arrival times, runs `shenbao worker --now 2023-07-17T10:00+08:00`
# until the receipts are out, prints where they are and a completeness summary, stops all.
#   DEMO_KEEP_STACK=1  leave the stack running afterwards (to look at it)
set -euo pipefail
cd "$(dirname "$0")/.."
export STACK_DIR="${STACK_DIR:-$PWD/.stack/demo}"  # .stack/ is git-ignored
mkdir -p "$(dirname "$STACK_DIR")"

bash scripts/ensure-deps.sh
[ -f dist/scripts/demo.js ] && [ dist/scripts/demo.js -nt scripts/demo.ts ] || npm run --silent build >&2
# The servers daemonise; keep their output off this terminal's pipe.
bash scripts/stack.sh start </dev/null >"$STACK_DIR.start.log" 2>&1 || { cat "$STACK_DIR.start.log" >&2; exit 1; }
stop_stack() { [ "${DEMO_KEEP_STACK:-0}" = 1 ] || bash scripts/stack.sh stop >/dev/null 2>&1 || true; }
trap stop_stack EXIT
eval "$(bash scripts/stack.sh env)"
node dist/scripts/demo.js
