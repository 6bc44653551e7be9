// ManagedIdentityCredential as an application that still uses IMDS would: AZURE_POD_IDENTITY_AUTHORITY_HOST points it
// at the proxy (in a pod the iptables redirect does that). Usage: node get-mi-token.mjs <scope> [client-id].
// Prints the access token's audience and appid, or the error.
import { ManagedIdentityCredential } from "@azure/identity";

const [scope, clientId] = process.argv.slice(2);
const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
try {
  const token = await credential.getToken(scope);
  const payload = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
  console.log(`token ok aud=${payload.aud} appid=${payload.appid}`);
} catch (error) {
  console.log(`token failed: ${error.message}`);
  process.exit(1);
}
