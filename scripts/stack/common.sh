# Helpers shared by scripts/stack.sh, scripts/stack/cluster.sh and scripts/stack/sentinel.sh
# (sourced after each has defined its own log()).

# A killed daemon can linger as a zombie where nothing reaps orphans (containers): not alive.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$(cat "$1")/stat" 2>/dev/null; }

# N distinct free loopback ports (default 3), held open together while chosen so they differ.
# With K > 0, port+K must be free too (a cluster node's bus listens on port+10000).
free_ports() { # [N] [K]
  python3 -c '
import socket, sys
n, bus = int(sys.argv[1]), int(sys.argv[2]); held = []; out = []
while len(out) < n:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; held.append(s)
    if bus == 0:
        out.append(p); continue
    if p + bus > 65535: continue
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + bus)); held.append(b); out.append(p)
    except OSError:
        b.close()
print(" ".join(map(str, out)))
for s in held: s.close()' "${1:-3}" "${2:-0}"
}

# Waits up to 20 s for a Redis server (or Sentinel) on `port` to answer PONG; else says where to look and exits.
redis_pong() { # port where-to-look
  local i
  for i in $(seq 1 100); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.2
  done
  log "nothing answered PONG on port $1 within 20 s; see $2"; exit 1
}
