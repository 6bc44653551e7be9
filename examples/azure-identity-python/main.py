"""Reads a Key Vault secret with azure-identity's DefaultAzureCredential (Azure AD Workload Identity)."""

import os
import sys

# The settings and the read loop are shared with the other Python sample (examples/shared/python; the image keeps
# the same layout).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared", "python"))

import sample_settings  # noqa: E402

with sample_settings.packages_or_exit("python3-azure"):
    from azure.core.exceptions import AzureError
    from azure.identity import DefaultAzureCredential
    from azure.keyvault.secrets import SecretClient


def start(settings, _identity):
    # DefaultAzureCredential finds the variables the webhook injects (AZURE_CLIENT_ID, AZURE_TENANT_ID,
    # AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST): azure-identity 1.13.0 and later through
    # WorkloadIdentityCredential, older versions through ManagedIdentityCredential's token exchange. Both re-read the
    # token file as the kubelet rotates it (at most every 5 minutes).
    options = {"disable_instance_discovery": True} if settings.disable_instance_discovery else {}
    client = SecretClient(
        settings.keyvault_url,
        DefaultAzureCredential(**options),
        # Only relaxed when configured: the sandbox's loopback vault is not under vault.azure.net.
        verify_challenge_resource=not settings.disable_challenge_resource_verification,
    )
    return lambda: client.get_secret(settings.secret_name).value


if __name__ == "__main__":
    sys.exit(sample_settings.main(start, (AzureError,)))
