using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using AzureWorkloadIdentity.Examples;

// DefaultAzureCredential picks WorkloadIdentityCredential up from the variables the webhook injects
// (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) and re-reads the token file
// as the kubelet rotates it.
var settings = ExampleSettings.FromEnvironment(Console.Error);
if (settings is null)
{
    return 2;
}

var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
{
    DisableInstanceDiscovery = settings.DisableInstanceDiscovery,
});
var client = new SecretClient(settings.KeyVaultUrl, credential, settings.SecretClientOptions());

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
return await settings.RunAsync(client, Console.Out, Console.Error, stop.Token);
