#!/usr/bin/env bash
# Renders the Helm chart into deploy/azure-wi-webhook.yaml, the manifest of the "kubectl apply" install path:
#   envsubst < deploy/azure-wi-webhook.yaml | kubectl apply -f -
# ${AZURE_TENANT_ID}, ${AZURE_ENVIRONMENT} and ${AZURE_AUTHORITY_HOST} stay in the file for envsubst. Namespace
# azure-workload-identity-system (with Pod Security "restricted" labels) is part of the manifest.
# Usage: scripts/render-manifest.sh [output-file]   (default deploy/azure-wi-webhook.yaml; "-" for stdout)
set -euo pipefail
cd "$(dirname "$0")/.."

output="${1:-deploy/azure-wi-webhook.yaml}"
helm="$(command -v helm 2>/dev/null || true)"
if [ -x .tools/bin/helm ]; then
  helm=.tools/bin/helm
elif [ -z "$helm" ]; then
  helm="$(bash scripts/install-helm.sh)"
fi

render() {
  echo "# Azure AD Workload Identity webhook: rendered from charts/workload-identity-webhook by scripts/render-manifest.sh."
  echo "# Do not edit; change the chart and re-run the script. Install: envsubst < azure-wi-webhook.yaml | kubectl apply -f -"
  echo "# (set AZURE_TENANT_ID, and AZURE_ENVIRONMENT unless the tenant is in the public cloud; AZURE_AUTHORITY_HOST, when"
  echo "# set, is the authority host injected into pods and stands for the environment file of AzureStackCloud)."
  # Single quotes: the placeholders reach the chart literally.
  # shellcheck disable=SC2016
  "$helm" template workload-identity-webhook charts/workload-identity-webhook \
    --namespace azure-workload-identity-system \
    --set createNamespace=true \
    --set-string 'azureTenantID=${AZURE_TENANT_ID}' \
    --set-string 'azureEnvironment=${AZURE_ENVIRONMENT}' \
    --set-string 'azureAuthorityHost=${AZURE_AUTHORITY_HOST}'
}

if [ "$output" = "-" ]; then
  render
else
  mkdir -p "$(dirname "$output")"
  render > "$output.tmp"
  mv -f "$output.tmp" "$output"
  echo "wrote $output" >&2
fi
