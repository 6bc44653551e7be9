"""Reads a Key Vault secret with an MSAL for Python confidential client whose client assertion is the projected
service-account token (Azure AD Workload Identity)."""

import os
import sys

# The settings and the read loop are shared with the other Python sample (examples/shared/python; the image keeps
# the same layout).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared", "python"))

import sample_settings  # noqa: E402

with sample_settings.packages_or_exit("python3-msal python3-azure"):
    from azure.core.exceptions import AzureError
    from azure.keyvault.secrets import SecretClient
    from msal_credential import MsalAssertionCredential


def start(settings, identity):
    credential = MsalAssertionCredential(
        identity["AZURE_CLIENT_ID"],
        identity["AZURE_TENANT_ID"],
        identity["AZURE_AUTHORITY_HOST"],
        identity["AZURE_FEDERATED_TOKEN_FILE"],
        settings.disable_instance_discovery,
    )
    client = SecretClient(
        settings.keyvault_url,
        credential,
        # Only relaxed when configured: the sandbox's loopback vault is not under vault.azure.net.
        verify_challenge_resource=not settings.disable_challenge_resource_verification,
    )
    return lambda: client.get_secret(settings.secret_name).value


if __name__ == "__main__":
    sys.exit(sample_settings.main(start, (AzureError,), needs_identity=True))
