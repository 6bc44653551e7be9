#!/usr/bin/env bash
# Latency and footprint of the IMDS proxy serving a cached token; figures go to docs/performance.md and docs/proxy.md.
#
# 1. the sandbox's Entra ID with an application that trusts system:serviceaccount:default:bench, and a projected
#    token for that account (bench serve-entra, a separate process);
# 2. the proxy as shipped (`dotnet publish -c Release -r linux-x64`: NativeAOT, as the csproj says) against it, or
#    PROXY=<path> (a NativeAOT binary, or a proxy.dll run with dotnet); one request makes the exchange, every later
#    one is a cache hit;
# 3. per round: 5,000 sequential requests on one keep-alive connection (p50/p99 from h2load's per-request log),
#    then 20,000 requests over 10 connections (throughput); RSS from /proc after each round;
# 4. DISTINCT requests, each for a resource of its own (every one an exchange with Entra ID, the token cache and the
#    confidential clients bounded), RSS after them: the proxy's memory bound under many resources.
#
# Needs: h2load (apt-get install -y nghttp2-client), curl, python3, the .NET SDK.
# Usage: bash bench/load/proxy-load.sh        (env: ROUNDS=3 SEQ=5000 N=20000 C=10 DISTINCT=10000 PROXY=<proxy or proxy.dll>)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/load/common.sh
require_tools h2load curl python3 dotnet
ROUNDS=${ROUNDS:-3} SEQ=${SEQ:-5000} N=${N:-20000} C=${C:-10} DISTINCT=${DISTINCT:-10000}

dotnet build -c Release bench/AzureWorkloadIdentity.Benchmarks -v q -nologo >/dev/null
bench=bench/AzureWorkloadIdentity.Benchmarks/bin/Release/net10.0/AzureWorkloadIdentity.Benchmarks.dll
if [ -z "${PROXY:-}" ]; then
  dotnet publish src/AzureWorkloadIdentity.Proxy -c Release -r linux-x64 -v q -nologo -o "$work/proxy" >/dev/null
  PROXY="$work/proxy/proxy"
fi

machine
echo "dotnet: $(dotnet --version), h2load: $(h2load --version | head -1), proxy: $PROXY"

mkfifo "$work/entra.in"
dotnet "$bench" serve-entra "$work/proxy.env" < "$work/entra.in" > "$work/entra.log" 2>&1 &
pids+=($!)
exec 3>"$work/entra.in"
for _ in $(seq 1 600); do [ -f "$work/proxy.env" ] && break; sleep 0.1; done
[ -f "$work/proxy.env" ] || { cat "$work/entra.log"; echo "sandbox did not start" >&2; exit 1; }
echo "sandbox: $(cat "$work/entra.log")"

port=$(free_port)
t0=$(date +%s%N)
case "$PROXY" in *.dll) launch=(dotnet "$PROXY") ;; *) launch=("$PROXY") ;; esac   # a NativeAOT binary runs as is
env $(cat "$work/proxy.env") "${launch[@]}" --proxy-port="$port" > "$work/proxy.log" 2>&1 &
proxy=$!; pids+=("$proxy")
wait_ready "http://127.0.0.1:$port/readyz" "$proxy" "$work/proxy.log"
echo "proxy ready after $(( ($(date +%s%N) - t0) / 1000000 )) ms; RSS $(rss_mb "$proxy") MB"

url="http://127.0.0.1:$port/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"
code=$(curl -s -o "$work/first.json" -w '%{http_code}' -H 'Metadata: true' "$url")
[ "$code" = 200 ] || { cat "$work/first.json" "$work/proxy.log"; echo "first token request answered $code" >&2; exit 1; }
echo "first request (the exchange): 200; RSS $(rss_mb "$proxy") MB"

h2() { h2load --h1 -H 'Metadata: true' "$@" "$url"; }
h2 -n 2000 -c 1 > /dev/null   # warm-up (JIT)
for round in $(seq 1 "$ROUNDS"); do
  rm -f "$work/lat.log"
  h2 -n "$SEQ" -c 1 --log-file "$work/lat.log" > "$work/h2.txt"
  latency=$(python3 - "$work/lat.log" <<'PY'
import sys
lat = sorted(int(line.split('\t')[2]) for line in open(sys.argv[1]) if line.strip() and line.split('\t')[1] == '200')
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] / 1000
print(f"p50 {pct(0.50):.3f} ms, p99 {pct(0.99):.3f} ms, max {lat[-1]/1000:.2f} ms ({len(lat)} x 200)")
PY
)
  h2 -n "$N" -c "$C" > "$work/h2c.txt"
  rps=$(grep -Eo 'finished in [0-9.]+m?s, [0-9.]+ req/s' "$work/h2c.txt" | awk '{print $4}')
  echo "round $round: sequential $latency; $C connections $rps req/s ($(grep -E '^status codes' "$work/h2c.txt" | awk '{print $3, $4}')); RSS $(rss_mb "$proxy") MB"
done
if [ "$DISTINCT" -gt 0 ]; then
  base="http://127.0.0.1:$port/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
  for i in $(seq 1 "$DISTINCT"); do echo "${base}https://resource-$i.example"; done > "$work/distinct.txt"
  # one client: h2load starts every client at the top of the list, so more clients would repeat resources
  h2load --h1 -H 'Metadata: true' -i "$work/distinct.txt" -n "$DISTINCT" -c 1 > "$work/h2d.txt"
  echo "distinct resources: $DISTINCT requests, $(grep -Eo 'finished in [0-9.]+m?s' "$work/h2d.txt"), status $(grep -E '^status codes' "$work/h2d.txt" | awk '{print $3, $4}'); RSS $(rss_mb "$proxy") MB"
fi
grep -E 'VmRSS|RssAnon|RssFile|RssShmem' "/proc/$proxy/status" | awk '{printf "%s %.1f MB  ", $1, $2/1024}'; echo
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^azwi_proxy_(token_requests|token_exchanges)_total' || true
echo "proxy log lines: $(wc -l < "$work/proxy.log")"
