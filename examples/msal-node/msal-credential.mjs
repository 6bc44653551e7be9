// An Azure SDK credential (TokenCredential: getToken(scopes) → { token, expiresOnTimestamp }) backed by an MSAL Node
// confidential client whose client assertion is the projected service-account token.
import { readFile } from "node:fs/promises";
import { ConfidentialClientApplication } from "@azure/msal-node";

export class MsalAssertionCredential {
  /**
   * The assertion callback reads the token file on every exchange: the kubelet rotates it, so a token read once at
   * start-up stops working after its lifetime.
   */
  constructor({ clientId, tenantId, authorityHost, tokenFile, disableInstanceDiscovery }) {
    const authority = `${authorityHost.replace(/\/+$/, "")}/${tenantId}`;
    this.authority = authority;
    this.application = new ConfidentialClientApplication({
      auth: {
        clientId,
        authority,
        clientAssertion: async () => (await readTokenFile(tokenFile)).trim(),
        // MSAL asks login.microsoftonline.com to validate an authority it does not know; a known authority is not
        // validated (this is what @azure/identity's disableInstanceDiscovery does).
        knownAuthorities: disableInstanceDiscovery ? [authority] : [],
      },
    });
  }

  async getToken(scopes) {
    // acquireTokenByClientCredential answers from MSAL's cache until the token is close to expiry.
    const result = await this.application.acquireTokenByClientCredential({
      scopes: Array.isArray(scopes) ? scopes : [scopes],
    });
    if (!result?.accessToken) {
      throw new Error(`token exchange with ${this.authority} returned no access token`);
    }
    return { token: result.accessToken, expiresOnTimestamp: result.expiresOn.getTime() };
  }
}

async function readTokenFile(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read AZURE_FEDERATED_TOKEN_FILE ${path}: ${error.code ?? error.message}`);
  }
}
