#!/usr/bin/env bash
# The webhook at the scale of the largest clusters (issue 21 §1 and §2); figures go to docs/performance.md.
#
# The sandbox Kubernetes API (separate process: `serve-scale` of bench/AzureWorkloadIdentity.Benchmarks) filled with
# service accounts, 10 per namespace, $IDENTITY_SHARE % of them identity-enabled; the webhook as shipped (NativeAOT).
#   1. footprint ladder: 0, 10,000 and $SAS accounts (and $SAS with none identity-enabled, for the per-account split):
#      the sandbox's time to serve the paged list alone (pages of 500), the webhook's time from launch to ready, RSS;
#   2. at $SAS accounts: 5,000 admissions for an identity-enabled and 5,000 for a plain account with the API server's
#      service-account request counters read before and after; RSS after; p99 at $RATE req/s without, then during a
#      watch storm of $STORM account updates in $STORM_SECONDS s;
#   3. pod bursts through the API server with the webhook registered: $PODS direct creates from $CLIENTS h2load clients
#      (twice: cold, then warm), and a Deployment scaled 0 -> $PODS (no kubelet: pods are stored, not run); every stored
#      pod checked for the mutation, the API server's wait for the webhook (p50/p99: from handing the serialized
#      review to its HTTP client to having the answer's bytes), the same wait less the API server's own GC pauses (a
#      .NET collection stops every thread of the sandbox's process), the whole call (also building the review and
#      reading the answer), the sandbox's collections during the burst, and the webhook's own answer times from its
#      azwi_mutation_request histogram.
# A summary table is printed at the end.
#
# Needs: h2load (apt-get install -y nghttp2-client), openssl, curl, python3, the .NET SDK.
# Usage: bash bench/load/webhook-scale.sh   (env: SAS=100000 NAMESPACES=10000 IDENTITY_SHARE=10 PODS=1000 CLIENTS=20
#        STORM=10000 STORM_SECONDS=10 RATE_SECONDS=10; WEBHOOK=path/to/published/webhook skips the NativeAOT publish;
#        SANDBOX_ENV="env DOTNET_gcServer=1" runs the sandbox API server with those settings)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/load/common.sh
require_tools h2load openssl curl python3 dotnet
SAS=${SAS:-100000} NAMESPACES=${NAMESPACES:-10000} IDENTITY_SHARE=${IDENTITY_SHARE:-10} PODS=${PODS:-1000} CLIENTS=${CLIENTS:-20}
STORM=${STORM:-10000} STORM_SECONDS=${STORM_SECONDS:-10} RATE_SECONDS=${RATE_SECONDS:-10}

dotnet build -c Release bench/AzureWorkloadIdentity.Benchmarks -v q -nologo >/dev/null
bench=bench/AzureWorkloadIdentity.Benchmarks/bin/Release/net10.0/AzureWorkloadIdentity.Benchmarks.dll
webhook=${WEBHOOK:-}
if [ -z "$webhook" ]; then
  echo "publishing the webhook (NativeAOT: a few minutes)"
  dotnet publish src/AzureWorkloadIdentity.Webhook -c Release -r linux-x64 -v q -nologo -o "$work/webhook" >/dev/null
  webhook=$work/webhook/webhook
fi
make_certificate
export AZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47
machine
echo "dotnet: $(dotnet --version), h2load: $(h2load --version | head -1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

sandbox_pid=
start_sandbox() { # $1 = accounts, $2 = identity share (%): the sandbox, its stdin on fd 3
  stop_sandbox
  local namespaces=$(( $1 * NAMESPACES / SAS )); [ "$namespaces" -ge 1 ] || namespaces=1
  rm -f "$work/kubeconfig" "$work/sandbox.in"; mkfifo "$work/sandbox.in"
  ${SANDBOX_ENV:-} dotnet "$bench" serve-scale "$work/kubeconfig" "$1" "$namespaces" "$2" < "$work/sandbox.in" > "$work/sandbox.log" 2>&1 &
  sandbox_pid=$!; pids+=("$sandbox_pid")
  exec 3>"$work/sandbox.in"
  for _ in $(seq 1 6000); do [ -f "$work/kubeconfig" ] && break; kill -0 "$sandbox_pid" 2>/dev/null || break; sleep 0.1; done
  [ -f "$work/kubeconfig" ] || { cat "$work/sandbox.log"; echo "sandbox did not start" >&2; exit 1; }
  echo "sandbox: $(head -1 "$work/sandbox.log")"
}
stop_sandbox() { if [ -n "$sandbox_pid" ]; then exec 3>&-; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=; fi; }
ask() { # one command to the sandbox; prints its one-line answer
  local lines; lines=$(wc -l < "$work/sandbox.log")
  echo "$*" >&3
  while [ "$(wc -l < "$work/sandbox.log")" -le "$lines" ]; do kill -0 "$sandbox_pid" || { cat "$work/sandbox.log"; exit 1; }; sleep 0.05; done
  tail -1 "$work/sandbox.log"
}
sa_requests() { ask counters | python3 -c 'import sys; w=sys.stdin.read().split(); print(sum(int(w[i+1]) for i in range(len(w)-1) if w[i] in ("get","list")))'; }
p99_of() { # $1 = h2load log: "p50 p99 max count" in ms
  python3 - "$1" <<'PY'
import sys
lat = sorted(int(line.split('\t')[2]) for line in open(sys.argv[1]) if line.strip())
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] / 1000
print(f"p50 {pct(0.50):.2f} ms, p99 {pct(0.99):.2f} ms, max {lat[-1]/1000:.2f} ms ({len(lat)} requests)")
PY
}
review() { dotnet "$bench" write-review "$work/review-$1.json" "$2" "$3"; }
admissions() { # $1 = review name, $2 = count
  h2load -n "$2" -c 4 -m 4 -d "$work/review-$1.json" -H 'content-type: application/json' "https://127.0.0.1:$port/mutate-v1-pod" > "$work/h2.txt"
  grep -E '^status codes' "$work/h2.txt" | awk '{print $3, $4}'
}
fixed_rate() { # $1 = review name: 1,000 req/s (4 clients x 250) for $RATE_SECONDS s into $work/lat.log
  rm -f "$work/lat.log"
  h2load -c 4 -m 1 --rps 250 -D "$RATE_SECONDS" --log-file "$work/lat.log" -d "$work/review-$1.json" \
    -H 'content-type: application/json' "https://127.0.0.1:$port/mutate-v1-pod" > "$work/h2-rate.txt"
}

declare -A row
echo "== 1. footprint ladder (RSS 1 s after ready; 10 accounts per namespace)"
for step in "0:$IDENTITY_SHARE" "10000:$IDENTITY_SHARE" "$SAS:0" "$SAS:$IDENTITY_SHARE"; do
  accounts=${step%%:*} share=${step##*:}
  start_sandbox "$accounts" "$share"
  list=$(ask list); echo "$list"
  start_server "$webhook"; sleep 1
  rss=$(rss_mb "$pid")
  echo "$accounts accounts, $share % identity-enabled: webhook live after ${live_ms} ms, ready after ${ready_ms} ms, RSS ready $rss MB"
  row[list-$accounts-$share]=$(echo "$list" | grep -Eo '[0-9]+ ms$'); row[ready-$accounts-$share]=$ready_ms; row[rss-$accounts-$share]=$rss
  if [ "$step" != "$SAS:$IDENTITY_SHARE" ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
done

echo "== 2. steady state at $SAS accounts"
review identity ns-0 sa-0
review plain ns-1 sa-1
admissions identity 200 >/dev/null; admissions plain 200 >/dev/null   # warm-up: connections, first look-ups
for kind in identity plain; do
  before=$(sa_requests); codes=$(admissions "$kind" 5000); after=$(sa_requests)
  calls=$(python3 -c "print(($after - $before) / 5000)")
  echo "5,000 admissions ($kind account): status $codes; service-account API calls per admission: $calls"
  row[calls-$kind]=$calls
done
row[rss-after]=$(rss_mb "$pid"); echo "RSS after the admissions: ${row[rss-after]} MB"
fixed_rate identity; row[rate-quiet]=$(p99_of "$work/lat.log"); echo "1,000 req/s, no storm: ${row[rate-quiet]}"
fixed_rate identity & rate=$!
storm=$(ask storm "$STORM" "$STORM_SECONDS"); wait "$rate"
row[rate-storm]=$(p99_of "$work/lat.log"); echo "1,000 req/s during the $storm: ${row[rate-storm]}"
echo "RSS after the storm: $(rss_mb "$pid") MB; $(ask counters)"

echo "== 3. pod bursts ($PODS pods; the webhook registered with the API server, failurePolicy Fail)"
ask register "$port" "$work/certs/tls.crt" >/dev/null
# The webhook's own view of the same calls: its azwi_mutation_request histogram (request received to answer written),
# scraped before and after each burst; the difference between the two views is the API server's side and the
# scheduling of both processes on the shared cores.
buckets() { curl -fsS "http://127.0.0.1:$metrics/metrics" | python3 -c '
import sys, re, collections
b = collections.Counter()
for line in sys.stdin:
    m = re.match(r"azwi_mutation_request_bucket\{.*le=\"([^\"]+)\".*\} (\S+)", line)
    if m: b[m.group(1)] += float(m.group(2))
print(int(b["0.001"]), int(b["0.005"]), int(b["+Inf"]))'; }
own_view() { # $1 $2 = buckets before, after: the share of calls the webhook itself answered within 1 and 5 ms
  python3 -c "
b=[int(x) for x in '$1'.split()]; a=[int(x) for x in '$2'.split()]; d=[x-y for x,y in zip(a,b)]
print(f'; the webhook itself (azwi_mutation_request): {d[2]} calls, {100*d[0]/max(d[2],1):.1f} % within 1 ms, {100*d[1]/max(d[2],1):.1f} % within 5 ms')"; }
direct() { # $1 = round: $PODS creates of a generateName pod from $CLIENTS h2load clients (one connection each)
  ask direct-pod "$1" > "$work/pod.json"
  h2load -n "$PODS" -c "$CLIENTS" -m 1 -d "$work/pod.json" -H 'content-type: application/json' \
    -H "authorization: Bearer $(awk '/token:/ {print $2; exit}' "$work/kubeconfig")" \
    "https://127.0.0.1:$api/api/v1/namespaces/burst/pods" > "$work/h2-burst.txt"
  local seconds ok
  ok=$(grep -E '^status codes' "$work/h2-burst.txt" | awk '{print $3}')
  [ -n "$ok" ] || { cat "$work/h2-burst.txt"; echo "h2load printed no status codes for the direct burst (above)" >&2; exit 1; }
  seconds=$(python3 -c "import re,sys; v,u=re.search(r'finished in ([0-9.]+)(ms|s)', open(sys.argv[1]).read()).groups(); print(float(v)/(1000 if u=='ms' else 1))" "$work/h2-burst.txt")
  ask direct-report "$1" "$PODS" "$CLIENTS" "$seconds" "$(( PODS - ok ))"
}
api=$(grep -Eo 'https://127.0.0.1:[0-9]+' "$work/kubeconfig" | head -1 | cut -d: -f3)
round=0
for burst in cold direct deployment; do
  before=$(buckets)
  case $burst in deployment) row[$burst]=$(ask deployment "$PODS") ;; *) round=$((round + 1)); row[$burst]=$(direct "$round") ;; esac
  row[$burst]+=$(own_view "$before" "$(buckets)"); echo "${row[$burst]}"
done
kill "$pid"; wait "$pid" 2>/dev/null || true
stop_sandbox

per_account() { python3 -c "print(round(($1 - $2) * 1048576 / $3))"; }
plain_b=$(per_account "${row[rss-$SAS-0]}" "${row[rss-0-$IDENTITY_SHARE]}" "$SAS")
mixed_b=$(per_account "${row[rss-$SAS-$IDENTITY_SHARE]}" "${row[rss-0-$IDENTITY_SHARE]}" "$SAS")
identity_b=$(python3 -c "print(round($plain_b + ($mixed_b - $plain_b) * 100 / max(1, $IDENTITY_SHARE)))")
cat <<TABLE

== summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg))
| measure | figure | target |
|---|---|---|
| sandbox: paged list of $SAS accounts (pages of 500), alone, second run | ${row[list-$SAS-$IDENTITY_SHARE]} | (inside ready) |
| webhook ready after launch: 0 / 10,000 / $SAS accounts | ${row[ready-0-$IDENTITY_SHARE]} / ${row[ready-10000-$IDENTITY_SHARE]} / ${row[ready-$SAS-$IDENTITY_SHARE]} ms | ≤ 3,000 ms |
| webhook RSS ready: 0 / 10,000 / $SAS accounts ($IDENTITY_SHARE %) / $SAS all plain | ${row[rss-0-$IDENTITY_SHARE]} / ${row[rss-10000-$IDENTITY_SHARE]} / ${row[rss-$SAS-$IDENTITY_SHARE]} / ${row[rss-$SAS-0]} MB | ≤ 60 MB |
| webhook RSS after 5,000 + 5,000 admissions at $SAS | ${row[rss-after]} MB | ≤ 60 MB |
| RSS per cached account: plain / identity-enabled / mixed | $plain_b / $identity_b / $mixed_b bytes | plain: "exists" only |
| service-account API calls per admission: identity-enabled / plain | ${row[calls-identity]} / ${row[calls-plain]} | 0 |
| 1,000 req/s, no storm | ${row[rate-quiet]} | |
| 1,000 req/s during $STORM updates in $STORM_SECONDS s | ${row[rate-storm]} | p99 ≤ 5 ms |
| ${row[cold]%%: *} | ${row[cold]#*: } | all mutated, none refused |
| ${row[direct]%%: *} | ${row[direct]#*: } | all mutated, none refused, p99 ≤ 5 ms |
| ${row[deployment]%%: *} | ${row[deployment]#*: } | all mutated, none refused, p99 ≤ 5 ms |
TABLE
