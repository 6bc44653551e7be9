#!/usr/bin/env bash
# Runs every test project of the solution and ends with one plain line "N passed, N failed".
# Exit code: non-zero when any test failed or a project did not build.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-prereqs.sh || { echo "0 passed, 1 failed"; exit 1; }

# The image tests (Deployment.Tests/Images) start the images: build them first wherever podman can run (as root it is
# installed). Cached in the podman store, a rebuild without changes takes seconds; the first one takes minutes.
if [ "$(id -u)" -eq 0 ] || command -v podman >/dev/null 2>&1; then
  bash scripts/build-images.sh || echo "warning: scripts/build-images.sh failed (above); the image tests will fail naming the missing images" >&2
fi

# What the run leaves in the temp folder (sandbox work folders, certificates, token folders): reported at the end.
tmp=${TMPDIR:-/tmp}
before=$(mktemp)
ls -1 "$tmp" | grep -E '^azwi-' | sort > "$before" || true

log=$(mktemp)
dotnet test AzureWorkloadIdentity.slnx --nologo -c "${CONFIGURATION:-Debug}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints: "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..." (or "Failed!  - ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- +Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"

# Code style, one check: the build enforces the analyzers and formatting (.editorconfig); the order of using
# directives only `dotnet format style` checks. To fix what it reports: dotnet format style AzureWorkloadIdentity.slnx
if dotnet format style --verify-no-changes --no-restore AzureWorkloadIdentity.slnx; then
  passed=$((passed + 1)); echo "code style (dotnet format style --verify-no-changes): passed"
else
  failed=$((failed + 1)); echo "code style (dotnet format style --verify-no-changes): FAILED — run: dotnet format style AzureWorkloadIdentity.slnx"
fi
left=$(ls -1 "$tmp" | grep -E '^azwi-' | sort | comm -13 "$before" - | grep -c . || true)
rm -f "$before"
echo "temporary folders left in $tmp by the tests: ${left}"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build error or a crashed test host: count it as a failure so CI cannot pass on it.
  failed=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
