// Reads a Key Vault secret with an MSAL Node confidential client whose client assertion is the projected
// service-account token (Azure AD Workload Identity).
import { SecretClient } from "@azure/keyvault-secrets";
import { MsalAssertionCredential } from "./msal-credential.mjs";
// The settings and the read loop are shared with the other JavaScript sample (the image keeps the same layout).
import { main } from "../shared/js/sample-settings.mjs";

process.exitCode = await main({ needsIdentity: true }, (settings, identity, signal) => {
  const credential = new MsalAssertionCredential({
    clientId: identity.AZURE_CLIENT_ID,
    tenantId: identity.AZURE_TENANT_ID,
    authorityHost: identity.AZURE_AUTHORITY_HOST,
    tokenFile: identity.AZURE_FEDERATED_TOKEN_FILE,
    disableInstanceDiscovery: settings.disableInstanceDiscovery,
  });
  const client = new SecretClient(settings.keyVaultUrl, credential, {
    // Only relaxed when configured: the sandbox's loopback vault is not under vault.azure.net.
    disableChallengeResourceVerification: settings.disableChallengeResourceVerification,
  });
  return async () => (await client.getSecret(settings.secretName, { abortSignal: signal })).value;
});
