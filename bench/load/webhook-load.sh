#!/usr/bin/env bash
# Load, footprint and start-up run of the webhook; figures go to docs/performance.md.
#
# 1. the sandbox Kubernetes API with $SAS identity-enabled service accounts (separate process);
# 2. the webhook as shipped (`dotnet publish -c Release -r linux-x64`: NativeAOT, as the csproj says, at the shipped
#    --log-level info: a line for every mutated pod; LOG_LEVEL=warning measures without them) against it:
#    time from launch to /readyz 200 (cache synced, cert loaded) and RSS once ready and after a burst of admissions;
# 3. bench/AzureWorkloadIdentity.LoadServer: the same composition plus POST /null (reads the body, answers a constant
#    review) on the same Kestrel/TLS listener, NativeAOT too, driven by h2load over HTTP/2 + TLS, alternating
#    /mutate-v1-pod and /null for $ROUNDS rounds:
#    saturated throughput (with the server's CPU, bytes allocated and GC pause per request, from /proc and the load
#    server's GET /gc, and the median ratio to /null over the rounds), then a fixed 1,000 req/s with per-request
#    latencies (p50/p99 from h2load's log).
#    EXTRA_PATHS="floor parse null-big" adds the load server's split of the gap to the saturated rounds: /floor (one
#    Utf8JsonReader pass over the whole body, nothing kept, and a constant answer of the webhook's size: the floor of
#    any System.Text.Json admission), /parse (the body parsed into a JsonDocument, constant answer) and /null-big (a
#    constant answer of the webhook's size).
#
# Needs: h2load (apt-get install -y nghttp2-client), openssl, curl, python3, the .NET SDK.
# Usage: bash bench/load/webhook-load.sh        (env: LOG_LEVEL=info SAS=10000 ROUNDS=3 (fixed rate) SAT_ROUNDS=7 (saturated) N=20000 C=8 M=8 RATE_SECONDS=10 WARMUP=20000 EXTRA_PATHS=;
#        TUNINGS="shipped DOTNET_x=y ..." for the RSS split's variants; FOOTPRINT_ONLY=1 stops after them;
#        PERF_DIR=dir adds one saturated run per path under `perf record -g`, read with `perf report -i dir/<path>.data`)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/load/common.sh
require_tools h2load openssl curl python3 dotnet
SAS=${SAS:-10000} ROUNDS=${ROUNDS:-3} SAT_ROUNDS=${SAT_ROUNDS:-7} N=${N:-20000} C=${C:-8} M=${M:-8} RATE_SECONDS=${RATE_SECONDS:-10} WARMUP=${WARMUP:-20000}

dotnet build -c Release bench/AzureWorkloadIdentity.Benchmarks -v q -nologo >/dev/null
bench=bench/AzureWorkloadIdentity.Benchmarks/bin/Release/net10.0/AzureWorkloadIdentity.Benchmarks.dll
echo "publishing the webhook and the load server (NativeAOT: a few minutes each)"
dotnet publish src/AzureWorkloadIdentity.Webhook -c Release -r linux-x64 -v q -nologo -o "$work/webhook" >/dev/null
webhook=$work/webhook/webhook
[ -n "${FOOTPRINT_ONLY:-}" ] || dotnet publish bench/AzureWorkloadIdentity.LoadServer -c Release -r linux-x64 -v q -nologo -o "$work/load-server" >/dev/null

make_certificate

machine
echo "dotnet: $(dotnet --version), h2load: $(h2load --version | head -1)"

mkfifo "$work/sandbox.in"
dotnet "$bench" serve-sandbox "$work/kubeconfig" "$SAS" < "$work/sandbox.in" > "$work/sandbox.log" 2>&1 &
pids+=($!)
exec 3>"$work/sandbox.in"
for _ in $(seq 1 600); do [ -f "$work/kubeconfig" ] && break; sleep 0.1; done
[ -f "$work/kubeconfig" ] || { cat "$work/sandbox.log"; echo "sandbox did not start" >&2; exit 1; }
echo "sandbox: $(cat "$work/sandbox.log")"

dotnet "$bench" write-review "$work/review.json" ns-0 sa-0
export AZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47

echo "== footprint and start-up: the webhook with $SAS service accounts in the cluster"
for run in 1 2 3; do
  start_server "$webhook"
  sleep 1
  idle=$(rss_mb "$pid")
  h2load -n 5000 -c 4 -m 4 -d "$work/review.json" -H 'content-type: application/json' "https://127.0.0.1:$port/mutate-v1-pod" > "$work/h2.txt"
  echo "run $run: live after ${live_ms} ms, ready after ${ready_ms} ms; RSS ready ${idle} MB, after 5,000 admissions $(rss_mb "$pid") MB; $(grep -E '^status codes' "$work/h2.txt")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "== RSS split (anonymous: GC heap, native allocations and the binary's rehydrated data; file-backed: the binary's mapped code)"
read -r -a tunings <<< "${TUNINGS:-shipped DOTNET_GCgen0size=0x400000}"
for tuning in "${tunings[@]}"; do
  [ "$tuning" = shipped ] && tuning=""
  (if [ -n "$tuning" ]; then export $tuning; fi; start_server "$webhook"; sleep 1
   h2load -n 5000 -c 4 -m 4 -d "$work/review.json" -H 'content-type: application/json' "https://127.0.0.1:$port/mutate-v1-pod" > /dev/null
   echo "${tuning:-shipped settings}: live after ${live_ms} ms, ready after ${ready_ms} ms; $(grep -E 'VmRSS|RssAnon|RssFile|RssShmem' "/proc/$pid/status" | awk '{printf "%s %.1f MB  ", $1, $2/1024}')"
   kill "$pid"; wait "$pid" 2>/dev/null || true)
done

[ -n "${FOOTPRINT_ONLY:-}" ] && exit 0

echo "== sanity: one admission"
start_server "$work/load-server/webhook-load-server"
curl -sk -H 'content-type: application/json' --data-binary @"$work/review.json" "https://127.0.0.1:$port/mutate-v1-pod" |
  python3 -c 'import sys,json,base64; r=json.load(sys.stdin)["response"]; print("allowed", r["allowed"], "patch ops", len(json.loads(base64.b64decode(r["patch"]))))'

summary() { # $1 = h2load output file, $2 = log file (optional)
  local rps; rps=$(grep -Eo 'finished in [0-9.]+m?s, [0-9.]+ req/s' "$1" | awk '{print $4}')
  local codes; codes=$(grep -E '^status codes' "$1" | awk '{print $3, $4}')
  if [ -n "${2:-}" ]; then
    python3 - "$2" "$rps" "$codes" <<'PY'
import sys
lat = sorted(int(line.split('\t')[2]) for line in open(sys.argv[1]) if line.strip())
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] / 1000
print(f"{sys.argv[2]} req/s, {sys.argv[3]}, p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, max {lat[-1]/1000:.2f} ms ({len(lat)} requests)")
PY
  else
    echo "$rps req/s, $codes"
  fi
}

h2() { h2load -d "$work/review.json" -H 'content-type: application/json' "$@"; }
# The server's user + system CPU (clock ticks) from /proc: per request it is steadier than req/s on a shared machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# The load server's GET /gc: bytes allocated, collections per generation and pause time so far; the difference over a
# run gives what each request allocated and how long collections stopped the process for it.
gc_counters() { curl -sk "https://127.0.0.1:$port/gc"; }
gc_per_request() { # $1 $2 = /gc before and after a run of $N requests
  python3 - "$1" "$2" "$N" <<'PY'
import sys
a, b, n = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()], int(sys.argv[3])
print(f"{(b[0] - a[0]) / n:.0f} B allocated/request, {(b[1] - a[1]) * 1000 / n:.1f} gen0 collections/1000 requests, GC pause {(b[4] - a[4]) * 1000 / n:.2f} µs/request")
PY
}
echo "== saturated: h2load -n $N -c $C -m $M (HTTP/2 + TLS), alternating"
# Warm-up (TLS sessions, connection buffers, the GC's budgets).
h2 -n "$WARMUP" -c "$C" -m "$M" "https://127.0.0.1:$port/mutate-v1-pod" >/dev/null
h2 -n "$WARMUP" -c "$C" -m "$M" "https://127.0.0.1:$port/null" >/dev/null
for path in ${EXTRA_PATHS:-}; do h2 -n "$WARMUP" -c "$C" -m "$M" "https://127.0.0.1:$port/$path" >/dev/null; done
for round in $(seq 1 "$SAT_ROUNDS"); do
  for path in mutate-v1-pod null ${EXTRA_PATHS:-}; do
    gc0=$(gc_counters); cpu0=$(cpu_ticks "$pid")
    h2 -n "$N" -c "$C" -m "$M" "https://127.0.0.1:$port/$path" > "$work/h2.txt"
    cpu1=$(cpu_ticks "$pid"); gc1=$(gc_counters)
    echo "round $round /$path: $(summary "$work/h2.txt") server CPU $(python3 -c "print(round(($cpu1 - $cpu0) * 1e6 / $hz / $N, 1))") µs/request, $(gc_per_request "$gc0" "$gc1")" | tee -a "$work/saturated.txt"
  done
done
# A neighbour on the host moves single rounds by ±5 %: the ratio of each round (its path against the /null run next
# to it) and their median.
python3 - "$work/saturated.txt" <<'PY'
import re, statistics, sys
rounds = {}
for line in open(sys.argv[1]):
    m = re.match(r"round (\d+) /(\S+): ([\d.]+) req/s", line)
    if m:
        rounds.setdefault(m[2], []).append(float(m[3]))
for path, rates in rounds.items():
    if path != "null":
        ratios = [rate / null for rate, null in zip(rates, rounds["null"])]
        print(f"/{path} ÷ /null, per round: {' '.join(f'{r:.3f}' for r in ratios)}; median {statistics.median(ratios):.3f}")
PY

if [ -n "${PERF_DIR:-}" ]; then
  # One more saturated run per path under `perf record` (call graphs of the load server only), for perf report.
  mkdir -p "$PERF_DIR"
  for path in mutate-v1-pod null ${EXTRA_PATHS:-}; do
    perf record -F 999 -g -p "$pid" -o "$PERF_DIR/$path.data" 2>/dev/null & perf_pid=$!
    sleep 0.5
    h2 -n "$N" -c "$C" -m "$M" "https://127.0.0.1:$port/$path" > "$work/h2.txt"
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    # Symbols resolve only while the published binary (and its .dbg) exist: the report is written now.
    perf report -i "$PERF_DIR/$path.data" --stdio --no-children --sort dso,symbol -g none --percent-limit 0 \
      > "$PERF_DIR/$path.txt" 2>/dev/null
    echo "perf: $PERF_DIR/$path.data, self time per symbol in $PERF_DIR/$path.txt ($(summary "$work/h2.txt"))"
  done
fi

echo "== fixed rate: 1,000 req/s for ${RATE_SECONDS}s (4 clients x --rps 250), alternating"
for round in $(seq 1 "$ROUNDS"); do
  for path in mutate-v1-pod null; do
    rm -f "$work/lat.log"
    h2 -c 4 -m 1 --rps 250 -D "$RATE_SECONDS" --log-file "$work/lat.log" "https://127.0.0.1:$port/$path" > "$work/h2.txt"
    echo "round $round /$path: $(summary "$work/h2.txt" "$work/lat.log")"
  done
done
echo "RSS of the load server after the run: $(rss_mb "$pid") MB"
