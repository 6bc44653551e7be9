#!/usr/bin/env bash
# Which source files one pod's admission goes through, counted from code coverage instead of by hand.
#
# Runs the webhook test SteadyStateApiCallsTests.Start_ThenAdmissions_EachMutatedFromTheCache twice under coverage
# (coverlet): started until ready (0 admissions), and the same plus one admission. The webhook runs as in production:
# its real service-account cache against the sandbox Kubernetes API, TLS, metrics, logs. A source line counts for the
# admission when the second run executed it more often than the first; a file counts when any of its lines does.
# Counted in the webhook (assembly `webhook`) and Core. Prints the count, then the files by folder.
#
# Usage: bash scripts/admission-files.sh   (needs the .NET SDK and python3; about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
project=tests/AzureWorkloadIdentity.Webhook.Tests
dotnet build "$project" -v q -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }
for admissions in 0 1; do
  dotnet test "$project" --no-build -v q -nologo \
    --filter "FullyQualifiedName~SteadyStateApiCallsTests.Start_ThenAdmissions_EachMutatedFromTheCache&DisplayName~admissions: $admissions" \
    --collect "XPlat Code Coverage" --results-directory "$work/run-$admissions" \
    -- DataCollectionRunSettings.DataCollectors.DataCollector.Configuration.Include="[webhook]*,[AzureWorkloadIdentity.Core]*" \
    > "$work/test-$admissions.log" || { cat "$work/test-$admissions.log"; exit 1; }
  grep -q "Passed: *1" "$work/test-$admissions.log" || { cat "$work/test-$admissions.log"; echo "the run with $admissions admissions did not pass exactly one test" >&2; exit 1; }
done
python3 - "$work" "$PWD" <<'PY'
import glob, os, sys, collections
import xml.etree.ElementTree as ET
work, root = sys.argv[1], sys.argv[2]

def hits(run):
    files = glob.glob(os.path.join(work, run, "*", "coverage.cobertura.xml"))
    if len(files) != 1:
        sys.exit(f"expected one coverage file for {run}, found {len(files)}")
    tree = ET.parse(files[0])
    sources = [s.text for s in tree.iter("source")]
    lines = collections.Counter()
    for cls in tree.iter("class"):
        name = cls.get("filename")
        path = next((os.path.join(s, name) for s in sources if os.path.exists(os.path.join(s, name))), name)
        for line in cls.iter("line"):
            lines[(os.path.relpath(path, root), int(line.get("number")))] += int(line.get("hits"))
    return lines

started, admitted = hits("run-0"), hits("run-1")
ran = {f for (f, n), h in admitted.items() if h > started.get((f, n), 0)}
generated = {f for f in ran if "/obj/" in f or f.endswith(".g.cs")}
files = sorted(ran - generated)
print(f"{len(files)} source files ran lines for one admission beyond start-up (and {len(generated)} files the compiler's generators wrote):")
by_folder = collections.defaultdict(list)
for f in files:
    by_folder[os.path.dirname(f)].append(os.path.basename(f))
for folder in sorted(by_folder):
    print(f"  {folder}/: {', '.join(by_folder[folder])}")
PY
