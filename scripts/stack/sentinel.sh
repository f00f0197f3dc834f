#!/usr/bin/env bash
# A Redis master watched by one Sentinel on loopback (test/integration/sentinel.test.ts): the
# worker is given the Sentinel, never the master's address, and asks it where the master is.
#
#   bash scripts/stack/sentinel.sh start    start (no-op when already running); waits until the Sentinel knows the master
#   bash scripts/stack/sentinel.sh env      print `export REDIS_SENTINELS=… REDIS_SENTINEL_NAME=…`
#   bash scripts/stack/sentinel.sh stop     stop both (idempotent)
#   bash scripts/stack/sentinel.sh status   exit 0 when both answer
#
# Settings (environment):
#   SENTINEL_DIR  state folder (default $STACK_DIR/sentinel, else <repo>/.stack/sentinel)
# The master's name is `shenbao`; quorum 1 (one Sentinel). Ports are free ones chosen at start.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${SENTINEL_DIR:-${STACK_DIR:-$ROOT/.stack}/sentinel}"
ENV_FILE="$DIR/sentinel.env"
NAME=shenbao

log() { echo "sentinel: $*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$(cat "$1")/stat" 2>/dev/null; }
setting() { [ -f "$DIR/ports" ] && sed -n "s/^$1=//p" "$DIR/ports" || true; }

free_ports() {
  python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()'
}

answers() { # port
  local i
  for i in $(seq 1 100); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.2
  done
  log "nothing answered PONG on port $1 within 20 s; see $DIR/*.log"; exit 1
}

running() {
  [ -f "$ENV_FILE" ] && alive "$DIR/master.pid" && alive "$DIR/sentinel.pid"
}

cmd_start() {
  if running; then log "already running in $DIR"; return 0; fi
  cmd_stop 2>/dev/null || true
  command -v redis-server >/dev/null || { log "redis-server is missing (bash scripts/stack.sh start installs it)"; exit 1; }
  mkdir -p "$DIR/master"
  trap 'rc=$?; if [ $rc -ne 0 ]; then cmd_stop >/dev/null 2>&1; fi; exit $rc' EXIT
  local ports i
  read -r -a ports <<< "$(free_ports)"
  printf 'MASTER_PORT=%s\nSENTINEL_PORT=%s\n' "${ports[0]}" "${ports[1]}" > "$DIR/ports"
  redis-server --port "${ports[0]}" --bind 127.0.0.1 --protected-mode no --dir "$DIR/master" \
    --appendonly yes --appendfsync everysec --save '' --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$DIR/master.pid" --logfile "$DIR/master.log" </dev/null >>"$DIR/master.log" 2>&1
  answers "${ports[0]}"
  # Sentinel rewrites its configuration file: it must be a file of its own, writable.
  cat > "$DIR/sentinel.conf" <<EOF
port ${ports[1]}
bind 127.0.0.1
protected-mode no
daemonize yes
pidfile $DIR/sentinel.pid
logfile $DIR/sentinel.log
dir $DIR
sentinel monitor $NAME 127.0.0.1 ${ports[0]} 1
sentinel down-after-milliseconds $NAME 5000
sentinel failover-timeout $NAME 20000
EOF
  redis-server "$DIR/sentinel.conf" --sentinel </dev/null >>"$DIR/sentinel.log" 2>&1
  answers "${ports[1]}"
  for i in $(seq 1 100); do
    redis-cli -p "${ports[1]}" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | grep -qx "${ports[0]}" && break
    [ "$i" = 100 ] && { log "the Sentinel does not name the master within 20 s; see $DIR/sentinel.log"; exit 1; }
    sleep 0.2
  done
  printf 'export REDIS_SENTINELS=127.0.0.1:%s REDIS_SENTINEL_NAME=%s\n' "${ports[1]}" "$NAME" > "$ENV_FILE"
  trap - EXIT
  log "started master ${ports[0]} and Sentinel ${ports[1]} in $DIR"
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  local which pid port
  for which in sentinel master; do
    alive "$DIR/$which.pid" || continue
    pid="$(cat "$DIR/$which.pid")"
    port="$(setting "$( [ "$which" = master ] && echo MASTER_PORT || echo SENTINEL_PORT )")"
    redis-cli -p "${port:-0}" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$ENV_FILE" "$DIR/master" "$DIR/sentinel.conf" "$DIR/ports" "$DIR"/*.pid
  log "stopped ($DIR)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env)
    if ! running; then log "not running in $DIR (bash scripts/stack/sentinel.sh start)"; exit 1; fi
    cat "$ENV_FILE" ;;
  status) running ;;
  *) echo "usage: $0 start | stop | env | status" >&2; exit 2 ;;
esac
