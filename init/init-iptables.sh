#!/bin/sh
# proxy-init: send the pod's outbound TCP to the Azure Instance Metadata Service (IMDS) to the workload
# identity proxy sidecar, except the proxy's own traffic (it runs as PROXY_UID and must reach the real IMDS).
# Needs NET_ADMIN in the pod's network namespace. Idempotent: running it again leaves one set of rules.
set -eu

PROXY_PORT="${PROXY_PORT:-8000}"
METADATA_IP="${METADATA_IP:-169.254.169.254}"
METADATA_PORT="${METADATA_PORT:-80}"
PROXY_UID="${PROXY_UID:-1501}"
IPTABLES="${IPTABLES:-iptables}"

OUTPUT_CHAIN=AZWI_PROXY_OUTPUT
REDIRECT_CHAIN=AZWI_PROXY_REDIRECT

fail() {
  echo "init-iptables: $*" >&2
  exit 1
}

is_port() {
  case "$1" in
    ''|*[!0-9]*) return 1 ;;
  esac
  [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}

is_port "$PROXY_PORT" || fail "PROXY_PORT '$PROXY_PORT' is not a TCP port (1-65535)."
is_port "$METADATA_PORT" || fail "METADATA_PORT '$METADATA_PORT' is not a TCP port (1-65535)."
case "$PROXY_UID" in ''|*[!0-9]*) fail "PROXY_UID '$PROXY_UID' is not a numeric user id." ;; esac
command -v "$IPTABLES" >/dev/null 2>&1 || fail "'$IPTABLES' was not found; the proxy-init image must contain iptables."

run() {
  "$IPTABLES" -w -t nat "$@" || fail "'$IPTABLES -t nat $*' failed (exit $?); the container needs the NET_ADMIN capability."
}

ensure_chain() {
  # Create the chain if it is missing, then empty it so its rules are exactly the ones below.
  "$IPTABLES" -w -t nat -n -L "$1" >/dev/null 2>&1 || run -N "$1"
  run -F "$1"
}

ensure_chain "$OUTPUT_CHAIN"
ensure_chain "$REDIRECT_CHAIN"

run -A "$REDIRECT_CHAIN" -p tcp -j REDIRECT --to-ports "$PROXY_PORT"

# The proxy's own requests (UID $PROXY_UID) go to the real IMDS; everything else is redirected.
run -A "$OUTPUT_CHAIN" -m owner --uid-owner "$PROXY_UID" -j RETURN
run -A "$OUTPUT_CHAIN" -j "$REDIRECT_CHAIN"

if ! "$IPTABLES" -w -t nat -C OUTPUT -p tcp -d "$METADATA_IP" --dport "$METADATA_PORT" -j "$OUTPUT_CHAIN" >/dev/null 2>&1; then
  run -A OUTPUT -p tcp -d "$METADATA_IP" --dport "$METADATA_PORT" -j "$OUTPUT_CHAIN"
fi

echo "init-iptables: TCP to $METADATA_IP:$METADATA_PORT now goes to 127.0.0.1:$PROXY_PORT, except for UID $PROXY_UID."
"$IPTABLES" -w -t nat -S
