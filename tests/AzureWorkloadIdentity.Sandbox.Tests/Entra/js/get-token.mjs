// Reads AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST like any workload;
// the sandbox CA comes from NODE_EXTRA_CA_CERTS. Prints the access token's audience, or the error.
import { WorkloadIdentityCredential } from "@azure/identity";

const credential = new WorkloadIdentityCredential({ disableInstanceDiscovery: true });
try {
  const token = await credential.getToken(process.argv[2]);
  const payload = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString());
  console.log(`token ok aud=${payload.aud}`);
} catch (error) {
  console.log(`token failed: ${error.message}`);
  process.exit(1);
}
