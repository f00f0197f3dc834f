#!/usr/bin/env bash
# The loopback stack for tests and demos: a throwaway Dovecot (IMAP), Redis and an SMTP sink
# that keeps every message, each on a free 127.0.0.1 port, all state in one folder.
#
#   bash scripts/stack.sh start [--imap-no-move]   start (no-op when already running)
#   bash scripts/stack.sh env                      print `export …` lines to source
#   bash scripts/stack.sh stop                     stop everything (idempotent)
#   bash scripts/stack.sh status                   exit 0 when all three answer
#   bash scripts/stack.sh down <redis|dovecot|smtp> one server stopped hard (Redis: SIGKILL; its AOF keeps the data)
#   bash scripts/stack.sh up <redis|dovecot|smtp>   that server started again on its port (fault tests)
#
# Settings (environment):
#   STACK_DIR            state folder (default <repo>/.stack)
#   STACK_IMAP_NO_MOVE=1 same as --imap-no-move: Dovecot advertises neither MOVE nor UIDPLUS
#                        (nor CONDSTORE/QRESYNC), for tests of the fallback path
#   STACK_SERVICES       which to run, default "redis dovecot smtp"
# The sink writes <n>-<ms>.eml + .json into $STACK_DIR/outbox; recipients reject-*@ get 550,
# tempfail-*@ get 451, tempfailN-*@ get 451 N times; more rules in $STACK_DIR/smtp-control.json
# (see scripts/smtp-sink.ts).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${STACK_DIR:-$ROOT/.stack}"
SERVICES="${STACK_SERVICES:-redis dovecot smtp}"
NO_MOVE="${STACK_IMAP_NO_MOVE:-0}"
ENV_FILE="$DIR/stack.env"

log() { echo "stack: $*" >&2; }
wants() { [[ " $SERVICES " == *" $1 "* ]]; }
# shellcheck source=scripts/stack/common.sh
. "$ROOT/scripts/stack/common.sh"
setting() { [ -f "$DIR/ports" ] && sed -n "s/^$1=//p" "$DIR/ports" || true; }

ensure_packages() {
  local need=()
  if wants redis && ! command -v redis-server >/dev/null; then need+=(redis-server); fi
  if wants dovecot && ! command -v dovecot >/dev/null; then need+=(dovecot-imapd); fi
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then log "missing ${need[*]}: run as root or install them"; exit 1; fi
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
}

wait_port() { # name port
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$1 did not answer on port $2 within 20 s; see $DIR/*.log"; exit 1
}

start_redis() {
  mkdir -p "$DIR/redis"
  redis-server --port "$1" --bind 127.0.0.1 --protected-mode no --dir "$DIR/redis" \
    --appendonly yes --appendfsync everysec --save '' --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" </dev/null >>"$DIR/redis.log" 2>&1
  wait_port redis "$1"
  redis_pong "$1" "$DIR/redis.log"
}

start_dovecot() { # port password
  bash "$ROOT/scripts/stack/dovecot-conf.sh" "$DIR" "$1" "$NO_MOVE" > "$DIR/dovecot.conf"
  mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail"
  : > "$DIR/users"
  local u
  for u in intake@assoc.test staff@assoc.test applicant@example.test; do
    echo "$u:{PLAIN}$2" >> "$DIR/users"
  done
  chown -R dovecot:dovecot "$DIR/mail"
  chmod 755 "$DIR"
  # Mail processes run as the dovecot user: every folder above the maildir must let it through
  # (a mktemp -d parent is 0700 and makes every mailbox command fail with "Command failed").
  if command -v runuser >/dev/null && ! runuser -u dovecot -- test -w "$DIR/mail"; then
    log "the dovecot user cannot reach $DIR/mail: make its parent folders traversable (chmod o+x)"; exit 1
  fi
  # Daemons must not keep our stdout: a caller piping `stack.sh start | tee` would never see EOF.
  dovecot -c "$DIR/dovecot.conf" </dev/null >>"$DIR/dovecot.log" 2>&1
  wait_port dovecot "$1"
}

start_sink() {
  local js="$ROOT/dist/scripts/smtp-sink.js"
  if [ ! -f "$js" ] || [ "$ROOT/scripts/smtp-sink.ts" -nt "$js" ]; then
    log "compiling scripts/smtp-sink.ts"
    (cd "$ROOT" && npx tsc --ignoreConfig --outDir dist/scripts --rootDir scripts --target ES2022 \
      --module nodenext --moduleResolution nodenext --esModuleInterop --strict --skipLibCheck \
      --types node --sourceMap scripts/smtp-sink.ts)
  fi
  mkdir -p "$DIR/outbox"
  setsid node "$js" --port "$1" --dir "$DIR/outbox" --control "$DIR/smtp-control.json" \
    >>"$DIR/smtp-sink.log" 2>&1 < /dev/null &
  echo $! > "$DIR/sink.pid"
  wait_port smtp "$1"
}

running() {
  [ -f "$ENV_FILE" ] || return 1
  if wants redis; then alive "$DIR/redis.pid" || return 1; fi
  if wants dovecot; then alive "$DIR/run/master.pid" || return 1; fi
  if wants smtp; then alive "$DIR/sink.pid" || return 1; fi
  return 0
}

cmd_start() {
  [ "${1:-}" = --imap-no-move ] && NO_MOVE=1
  if running; then log "already running in $DIR"; return 0; fi
  cmd_stop 2>/dev/null || true
  ensure_packages
  mkdir -p "$DIR"
  # A start that fails half-way stops what it started.
  trap 'rc=$?; if [ $rc -ne 0 ]; then cmd_stop >/dev/null 2>&1; fi; exit $rc' EXIT
  local ports password
  read -r -a ports <<< "$(free_ports)"
  password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf 'REDIS_PORT=%s\nIMAP_PORT=%s\nSMTP_PORT=%s\n' "${ports[0]}" "${ports[1]}" "${ports[2]}" > "$DIR/ports"
  wants redis && start_redis "${ports[0]}"
  wants dovecot && start_dovecot "${ports[1]}" "$password"
  wants smtp && start_sink "${ports[2]}"
  {
    printf 'export STACK_DIR=%q\n' "$DIR"
    wants dovecot && printf 'export IMAP_HOST=127.0.0.1 IMAP_PORT=%s IMAP_SECURE=false IMAP_USER=intake@assoc.test IMAP_PASSWORD=%s\n' "${ports[1]}" "$password"
    wants smtp && printf 'export SMTP_HOST=127.0.0.1 SMTP_PORT=%s SMTP_SECURE=false SMTP_SINK_DIR=%q\n' "${ports[2]}" "$DIR/outbox"
    wants redis && printf 'export REDIS_URL=redis://127.0.0.1:%s\n' "${ports[0]}"
    printf 'export MAIL_FROM=intake@assoc.test STAFF_EMAIL=staff@assoc.test\n'
  } > "$ENV_FILE"
  trap - EXIT
  log "started [$SERVICES] in $DIR (redis ${ports[0]}, imap ${ports[1]}, smtp ${ports[2]})"
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  local port pid
  if [ -f "$DIR/dovecot.conf" ] && alive "$DIR/run/master.pid"; then
    pid="$(cat "$DIR/run/master.pid")"
    doveadm -c "$DIR/dovecot.conf" stop 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if alive "$DIR/redis.pid"; then
    pid="$(cat "$DIR/redis.pid")"
    port="$(setting REDIS_PORT)"
    redis-cli -p "${port:-0}" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if alive "$DIR/sink.pid"; then
    pid="$(cat "$DIR/sink.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$ENV_FILE" "$DIR/sink.pid" "$DIR/redis.pid"
  log "stopped ($DIR)"
}

# One server down hard / up again on the same port, state kept (scripts/faults.ts).
cmd_down() {
  case "${1:-}" in
    redis) alive "$DIR/redis.pid" && kill -9 "$(cat "$DIR/redis.pid")" ;;
    dovecot) # stopped by its master (children hold the listening socket: a SIGKILL would keep the port)
      if alive "$DIR/run/master.pid"; then
        local pid; pid="$(cat "$DIR/run/master.pid")"
        doveadm -c "$DIR/dovecot.conf" stop 2>/dev/null || kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi ;;
    smtp) alive "$DIR/sink.pid" && kill -9 "$(cat "$DIR/sink.pid")" ;;
    *) echo "usage: $0 down redis|dovecot|smtp" >&2; exit 2 ;;
  esac
  sleep 0.3
  return 0
}

cmd_up() {
  case "${1:-}" in
    redis) alive "$DIR/redis.pid" || start_redis "$(setting REDIS_PORT)" ;;
    dovecot)
      if ! alive "$DIR/run/master.pid"; then
        rm -f "$DIR/run/master.pid"
        dovecot -c "$DIR/dovecot.conf" </dev/null >>"$DIR/dovecot.log" 2>&1
        wait_port dovecot "$(setting IMAP_PORT)"
      fi ;;
    smtp) alive "$DIR/sink.pid" || start_sink "$(setting SMTP_PORT)" ;;
    *) echo "usage: $0 up redis|dovecot|smtp" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  down) cmd_down "${2:-}" ;;
  up) cmd_up "${2:-}" ;;
  stop) cmd_stop ;;
  env)
    if ! running; then log "not running in $DIR (bash scripts/stack.sh start)"; exit 1; fi
    cat "$ENV_FILE" ;;
  status) running ;;
  *) echo "usage: $0 start [--imap-no-move] | stop | env | status | down <server> | up <server>" >&2; exit 2 ;;
esac
