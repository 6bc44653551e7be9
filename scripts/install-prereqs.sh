#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, idempotently: Debian packages (iptables, iproute2, curl and
# setpriv for the proxy-init network-namespace tests, openssl for key fixtures, unzip for Helm; podman, runc and
# debootstrap for the images; azure-cli for the documented `az storage` uploads), and what the Python and Node.js
# samples need (python3-msal and python3-azure for Debian's python3; Node.js with npm, then `npm ci` in each
# examples/<sample> with a package-lock.json). The chart tests install Helm themselves (scripts/install-helm.sh, from
# npm) and the JS SDK check installs @azure/identity with npm. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v iptables >/dev/null 2>&1 || need_apt+=(iptables)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)       # proxy-init namespace tests
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)     # Helm comes zipped inside an npm package (chart tests)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
command -v envsubst >/dev/null 2>&1 || need_apt+=(gettext-base)   # the manifest install path: envsubst < deploy/azure-wi-webhook.yaml
# The Python samples run with Debian's interpreter, the one python3-msal and python3-azure install for.
/usr/bin/python3 -c 'import msal' >/dev/null 2>&1 || need_apt+=(python3-msal)
/usr/bin/python3 -c 'import azure.identity, azure.keyvault.secrets' >/dev/null 2>&1 || need_apt+=(python3-azure)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# scripts/build-images.sh (the image tests): podman with runc (crun fails on these hosts), debootstrap for the base.
command -v podman >/dev/null 2>&1 || need_apt+=(podman)
command -v runc >/dev/null 2>&1 || need_apt+=(runc)
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
command -v az >/dev/null 2>&1 || need_apt+=(azure-cli)   # the self-managed docs' `az storage` upload commands (end-to-end tests)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing Debian packages: ${need_apt[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing ${need_apt[*]} and not root; tests that need them will say so" >&2
  fi
fi

# The Node.js samples' packages, exactly as their package-lock.json pins them, in each sample's own node_modules
# (ignored by git); reinstalled only when the lock file is newer than the last install.
for lock in examples/*/package-lock.json; do
  sample=$(dirname "$lock")
  [ "$sample/node_modules/.package-lock.json" -nt "$lock" ] && continue
  command -v npm >/dev/null 2>&1 || { echo "warning: npm is missing; the ${sample#examples/} sample will say so" >&2; continue; }
  echo "installing the npm packages of ${sample} (npm ci)" >&2
  (cd "$sample" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "npm ci failed in ${sample}; run it there to see why" >&2; exit 1; }
done

# The kubectl and helm tests run the real binaries: kubectl 1.28 and 1.33 as the Google Cloud CLI installs them beside
# the kubectl on the PATH (kubectl.1.27 ... kubectl.1.33), and Helm from scripts/install-helm.sh.
kubectl_dir=""
command -v kubectl >/dev/null 2>&1 && kubectl_dir=$(dirname "$(readlink -f "$(command -v kubectl)")")
for version in 1.28 1.33; do
  [ -n "$kubectl_dir" ] && [ -x "$kubectl_dir/kubectl.$version" ] && continue
  if command -v gcloud >/dev/null 2>&1; then
    echo "installing kubectl.$version with the Google Cloud CLI (gcloud components install kubectl)" >&2
    gcloud components install kubectl --quiet >&2 || echo "warning: gcloud could not install kubectl; the kubectl tests will say so" >&2
    command -v kubectl >/dev/null 2>&1 && kubectl_dir=$(dirname "$(readlink -f "$(command -v kubectl)")")
  else
    echo "warning: kubectl.$version is missing (it comes with the Google Cloud CLI); the kubectl tests will say so" >&2
  fi
done
bash scripts/install-helm.sh >/dev/null || echo "warning: Helm could not be installed; the helm tests will say so" >&2
