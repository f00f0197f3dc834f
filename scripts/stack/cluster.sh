#!/usr/bin/env bash
# A three-node Redis Cluster on loopback (three masters, no replicas) for the scale-out test
# and `npm run bench:cluster`; next to scripts/stack.sh's Dovecot and SMTP sink, which it leaves alone.
#
#   bash scripts/stack/cluster.sh start    start (no-op when already running); waits for cluster_state:ok
#   bash scripts/stack/cluster.sh env      print the `export REDIS_CLUSTER_NODES=…` line to source
#   bash scripts/stack/cluster.sh stop     stop the three nodes and forget the cluster (idempotent)
#   bash scripts/stack/cluster.sh status   exit 0 when all three answer and the cluster is ok
#
# Settings (environment):
#   CLUSTER_DIR  state folder (default $STACK_DIR/cluster, else <repo>/.stack/cluster)
# Each node: AOF on, noeviction, its own nodes.conf, on a free 127.0.0.1 port chosen at start.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${CLUSTER_DIR:-${STACK_DIR:-$ROOT/.stack}/cluster}"
ENV_FILE="$DIR/cluster.env"
NODES=3

log() { echo "cluster: $*" >&2; }
# shellcheck source=scripts/stack/common.sh
. "$ROOT/scripts/stack/common.sh"
ports() { [ -f "$DIR/ports" ] && cat "$DIR/ports" || true; }

start_node() { # port
  local d="$DIR/node-$1"
  mkdir -p "$d"
  redis-server --port "$1" --bind 127.0.0.1 --protected-mode no --dir "$d" \
    --cluster-enabled yes --cluster-config-file "$d/nodes.conf" --cluster-node-timeout 5000 \
    --appendonly yes --appendfsync everysec --save '' --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$d/redis.pid" --logfile "$d/redis.log" </dev/null >>"$d/redis.log" 2>&1
  redis_pong "$1" "$d/redis.log"
}

cluster_ok() { # port
  redis-cli -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

running() {
  [ -f "$ENV_FILE" ] || return 1
  local p
  for p in $(ports); do alive "$DIR/node-$p/redis.pid" || return 1; done
  cluster_ok "$(ports | awk '{ print $1 }')"
}

cmd_start() {
  if running; then log "already running in $DIR"; return 0; fi
  cmd_stop 2>/dev/null || true
  command -v redis-server >/dev/null || { log "redis-server is missing (bash scripts/stack.sh start installs it)"; exit 1; }
  mkdir -p "$DIR"
  trap 'rc=$?; if [ $rc -ne 0 ]; then cmd_stop >/dev/null 2>&1; fi; exit $rc' EXIT
  local list p i
  # A cluster node also listens on port+10000 (the cluster bus): both must be free.
  read -r -a list <<< "$(free_ports "$NODES" 10000)"
  echo "${list[*]}" > "$DIR/ports"
  for p in "${list[@]}"; do start_node "$p"; done
  redis-cli --cluster create $(for p in "${list[@]}"; do printf '127.0.0.1:%s ' "$p"; done) \
    --cluster-replicas 0 --cluster-yes >"$DIR/create.log" 2>&1 || { log "cluster create failed; see $DIR/create.log"; exit 1; }
  for i in $(seq 1 150); do
    local all=1
    for p in "${list[@]}"; do cluster_ok "$p" || all=0; done
    [ "$all" = 1 ] && break
    [ "$i" = 150 ] && { log "cluster_state not ok within 30 s; see $DIR/create.log"; exit 1; }
    sleep 0.2
  done
  printf 'export REDIS_CLUSTER_NODES=%s\n' "$(IFS=,; echo "${list[*]/#/127.0.0.1:}")" > "$ENV_FILE"
  trap - EXIT
  log "started 3 nodes in $DIR (ports ${list[*]})"
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  local p pid
  for p in $(ports); do
    alive "$DIR/node-$p/redis.pid" || continue
    pid="$(cat "$DIR/node-$p/redis.pid")"
    redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  # A cluster's nodes.conf names its peers: a fresh start (new ports) must not find it.
  rm -rf "$ENV_FILE" "$DIR"/node-* "$DIR/ports"
  log "stopped ($DIR)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env)
    if ! running; then log "not running in $DIR (bash scripts/stack/cluster.sh start)"; exit 1; fi
    cat "$ENV_FILE" ;;
  status) running ;;
  *) echo "usage: $0 start | stop | env | status" >&2; exit 2 ;;
esac
