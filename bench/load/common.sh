# Shared by the load scripts (sourced from the repository root): tool check, a work directory and background
# processes cleaned up on exit, and small helpers.

require_tools() { # tool names
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing $tool (h2load: apt-get install -y nghttp2-client)" >&2; exit 1; }
  done
}

work=$(mktemp -d)
pids=()
cleanup() {
  exec 3>&- 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2/1024 }' "/proc/$1/status"; }
now() { date +%s.%N; }
machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}

# The serving certificate in a folder of its own: the webhook watches its certificate folder, and the servers' logs
# written next to it would wake that watch on every line.
make_certificate() {
  mkdir -p "$work/certs"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$work/certs/tls.key" -out "$work/certs/tls.crt" 2>/dev/null
}

wait_ready() { # $1 = readiness URL, $2 = pid, $3 = its log: polls every 10 ms until 200, fails if the process exits
  for _ in $(seq 1 3000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; echo "process $2 exited" >&2; exit 1; }
    sleep 0.01
  done
}

start_server() { # $1 = executable (the webhook, or the load server), then its extra flags; needs make_certificate and $work/kubeconfig; logs at $LOG_LEVEL (default info, the shipped level) to $work/server-<port>.log; sets port health pid live_ms ready_ms (launch to /healthz, to /readyz)
  port=$(free_port); health=$(free_port); metrics=$(free_port)
  local t0; t0=$(now)
  "$@" --port "$port" --health-addr "127.0.0.1:$health" --metrics-addr "127.0.0.1:$metrics" \
    --webhook-cert-dir "$work/certs" --disable-cert-rotation --kubeconfig "$work/kubeconfig" --log-level "${LOG_LEVEL:-info}" > "$work/server-$port.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_ready "http://127.0.0.1:$health/healthz" "$pid" "$work/server-$port.log"
  local t_live; t_live=$(now)
  wait_ready "http://127.0.0.1:$health/readyz" "$pid" "$work/server-$port.log"
  local t_ready; t_ready=$(now)
  # Differences computed after both waits, so the arithmetic is not timed.
  live_ms=$(python3 -c "print(round(($t_live - $t0) * 1000))")
  ready_ms=$(python3 -c "print(round(($t_ready - $t0) * 1000))")
}
