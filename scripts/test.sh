#!/usr/bin/env bash
# The project's test command (`npm test`; CI runs it as root on a fresh Debian machine):
#   dependencies → build (the typecheck) → eslint → unit tests → loopback stack → integration tests.
# Every step runs even when an earlier one failed, so one run shows everything; the exit code
# is non-zero if any step failed. The stack lives in a temporary folder and is stopped on exit.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LOG_DIR="$(mktemp -d /tmp/shenbao-test.XXXXXX)"
chmod 755 "$LOG_DIR" # the stack's Dovecot runs mail processes as the dovecot user
export STACK_DIR="$LOG_DIR/stack"
# Screenshots and downloads of the browser tests end up here (kept after the run).
export TEST_OUTPUT_DIR="$LOG_DIR/output"
declare -a RESULTS=()
FAILED=0

cleanup() {
  bash "$ROOT/scripts/stack.sh" stop >/dev/null 2>&1 || true
  rm -rf "$STACK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { # name command...
  local name="$1" start rc
  shift
  echo "==> $name" >&2
  start=$(date +%s)
  "$@" 2>&1 | tee "$LOG_DIR/$name.log"
  rc=${PIPESTATUS[0]}
  RESULTS+=("$(printf '%-12s %s (%ss)' "$name" "$([ "$rc" = 0 ] && echo ok || echo "FAILED rc=$rc")" $(( $(date +%s) - start )))")
  [ "$rc" = 0 ] || FAILED=1
  return "$rc"
}

jest_summary() {
  grep -E '^(Test Suites|Tests|Snapshots|Time):' "$LOG_DIR/$1.log" | sed "s/^/  [$1] /" || true
}

if ! step deps env SHENBAO_DEPS_ONLY=1 bash scripts/ensure-deps.sh; then
  echo "dependencies could not be installed; stopping" >&2
  exit 1
fi
step build npm run --silent build
step lint npm run --silent lint # eslint (incl. linear regexes, the pure core's import boundary) + no import cycles (dpdm)
step unit npx jest --selectProjects unit --ci
if step stack bash scripts/stack.sh start; then
  # shellcheck disable=SC1090
  source <(bash scripts/stack.sh env)
  # In band: integration tests share one Dovecot/Redis/sink and spawn child processes.
  step integration npx jest --selectProjects integration --ci --runInBand --forceExit
else
  RESULTS+=("integration  FAILED (stack did not start; see $STACK_DIR/*.log)")
  FAILED=1
fi

echo
echo "==> summary"
printf '  %s\n' "${RESULTS[@]}"
jest_summary unit
jest_summary integration
echo "  logs: $LOG_DIR"
# One plain closing line over both jest projects, for CI's reader: 'tests: N passed, N failed'.
count() { grep -hE '^Tests:' "$LOG_DIR"/unit.log "$LOG_DIR"/integration.log 2>/dev/null | grep -oE "[0-9]+ $1" | awk '{ n += $1 } END { print n + 0 }'; }
echo "tests: $(count passed) passed, $(count failed) failed"
exit "$FAILED"
