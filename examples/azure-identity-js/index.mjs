// Reads a Key Vault secret with @azure/identity's DefaultAzureCredential (Azure AD Workload Identity).
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
// The settings and the read loop are shared with the other JavaScript sample (the image keeps the same layout).
import { main } from "../shared/js/sample-settings.mjs";

process.exitCode = await main({ needsIdentity: false }, (settings, _identity, signal) => {
  // DefaultAzureCredential picks WorkloadIdentityCredential up from the variables the webhook injects
  // (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) and re-reads the token file
  // as the kubelet rotates it.
  const credential = new DefaultAzureCredential({ disableInstanceDiscovery: settings.disableInstanceDiscovery });
  const client = new SecretClient(settings.keyVaultUrl, credential, {
    // Only relaxed when configured: the sandbox's loopback vault is not under vault.azure.net.
    disableChallengeResourceVerification: settings.disableChallengeResourceVerification,
  });
  return async () => (await client.getSecret(settings.secretName, { abortSignal: signal })).value;
});
