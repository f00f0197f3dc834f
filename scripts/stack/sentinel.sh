#!/usr/bin/env bash
# A Redis master, its replica and one Sentinel watching them on loopback
# (test/integration/sentinel.test.ts): the worker is given the Sentinel, never the master's
# address, asks it where the master is, and follows it through a failover to the replica.
#
#   bash scripts/stack/sentinel.sh start    start (no-op when already running); waits until the Sentinel knows the master
#   bash scripts/stack/sentinel.sh env      print `export REDIS_SENTINELS=… REDIS_SENTINEL_NAME=…`
#   bash scripts/stack/sentinel.sh stop     stop both (idempotent)
#   bash scripts/stack/sentinel.sh status   exit 0 when all three answer
#   bash scripts/stack/sentinel.sh failover the replica made master (SENTINEL FAILOVER); waits until the Sentinel names it
#   bash scripts/stack/sentinel.sh synced   waits until the master has an online replica again (the next failover needs one)
#
# Settings (environment):
#   SENTINEL_DIR  state folder (default $STACK_DIR/sentinel, else <repo>/.stack/sentinel)
# The master's name is `shenbao`; quorum 1 (one Sentinel). Ports are free ones chosen at start.
# Both servers run with min-replicas-to-write 1: once the replica is promoted, the old master
# refuses writes (NOREPLICAS) instead of taking writes a failover throws away (docs/operations.md §8).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${SENTINEL_DIR:-${STACK_DIR:-$ROOT/.stack}/sentinel}"
ENV_FILE="$DIR/sentinel.env"
NAME=shenbao

log() { echo "sentinel: $*" >&2; }
# shellcheck source=scripts/stack/common.sh
. "$ROOT/scripts/stack/common.sh"
setting() { [ -f "$DIR/ports" ] && sed -n "s/^$1=//p" "$DIR/ports" || true; }

running() {
  [ -f "$ENV_FILE" ] && alive "$DIR/master.pid" && alive "$DIR/replica.pid" && alive "$DIR/sentinel.pid"
}

start_server() { # name port [replicaof-port]
  mkdir -p "$DIR/$1"
  redis-server --port "$2" --bind 127.0.0.1 --protected-mode no --dir "$DIR/$1" \
    --appendonly yes --appendfsync everysec --save '' --maxmemory-policy noeviction \
    ${3:+--replicaof 127.0.0.1 "$3"} --min-replicas-to-write 1 --min-replicas-max-lag 10 \
    --daemonize yes --pidfile "$DIR/$1.pid" --logfile "$DIR/$1.log" </dev/null >>"$DIR/$1.log" 2>&1
  redis_pong "$2" "$DIR/$1.log"
}

master_port() { redis-cli -p "$(setting SENTINEL_PORT)" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | sed -n 2p; }

cmd_start() {
  if running; then log "already running in $DIR"; return 0; fi
  cmd_stop 2>/dev/null || true
  command -v redis-server >/dev/null || { log "redis-server is missing (bash scripts/stack.sh start installs it)"; exit 1; }
  mkdir -p "$DIR/master"
  trap 'rc=$?; if [ $rc -ne 0 ]; then cmd_stop >/dev/null 2>&1; fi; exit $rc' EXIT
  local ports i
  read -r -a ports <<< "$(free_ports)"
  printf 'MASTER_PORT=%s\nSENTINEL_PORT=%s\nREPLICA_PORT=%s\n' "${ports[0]}" "${ports[1]}" "${ports[2]}" > "$DIR/ports"
  start_server master "${ports[0]}"
  start_server replica "${ports[2]}" "${ports[0]}"
  for i in $(seq 1 100); do
    redis-cli -p "${ports[2]}" info replication 2>/dev/null | grep -q '^master_link_status:up' && break
    [ "$i" = 100 ] && { log "the replica did not sync within 20 s; see $DIR/replica.log"; exit 1; }
    sleep 0.2
  done
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
  redis_pong "${ports[1]}" "$DIR/*.log"
  # Ready when it names the master and knows the replica (a failover needs one).
  for i in $(seq 1 150); do
    [ "$(master_port)" = "${ports[0]}" ] && redis-cli -p "${ports[1]}" sentinel replicas "$NAME" 2>/dev/null | grep -qx "${ports[2]}" && break
    [ "$i" = 150 ] && { log "the Sentinel does not know the master and its replica within 30 s; see $DIR/sentinel.log"; exit 1; }
    sleep 0.2
  done
  printf 'export REDIS_SENTINELS=127.0.0.1:%s REDIS_SENTINEL_NAME=%s\n' "${ports[1]}" "$NAME" > "$ENV_FILE"
  trap - EXIT
  log "started master ${ports[0]}, replica ${ports[2]} and Sentinel ${ports[1]} in $DIR"
}

cmd_failover() {
  running || { log "not running in $DIR"; exit 1; }
  local before i
  before="$(master_port)"
  redis-cli -p "$(setting SENTINEL_PORT)" sentinel failover "$NAME" >/dev/null
  for i in $(seq 1 150); do
    [ -n "$(master_port)" ] && [ "$(master_port)" != "$before" ] && { log "master moved from $before to $(master_port)"; return 0; }
    sleep 0.2
  done
  log "no new master within 30 s; see $DIR/sentinel.log"; exit 1
}

cmd_synced() {
  running || { log "not running in $DIR"; exit 1; }
  local i
  for i in $(seq 1 300); do
    redis-cli -p "$(master_port)" info replication 2>/dev/null | grep -q '^slave0:.*state=online' && return 0
    sleep 0.2
  done
  log "the master has no online replica within 60 s; see $DIR/*.log"; exit 1
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  local which pid port
  for which in sentinel replica master; do
    alive "$DIR/$which.pid" || continue
    pid="$(cat "$DIR/$which.pid")"
    port="$(setting "$(echo "$which" | tr a-z A-Z)_PORT")"
    redis-cli -p "${port:-0}" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$ENV_FILE" "$DIR/master" "$DIR/replica" "$DIR/sentinel.conf" "$DIR/ports" "$DIR"/*.pid
  log "stopped ($DIR)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env)
    if ! running; then log "not running in $DIR (bash scripts/stack/sentinel.sh start)"; exit 1; fi
    cat "$ENV_FILE" ;;
  status) running ;;
  failover) cmd_failover ;;
  synced) cmd_synced ;;
  *) echo "usage: $0 start | stop | env | status | failover | synced" >&2; exit 2 ;;
esac
