using Azure.Security.KeyVault.Secrets;
using AzureWorkloadIdentity.Examples;

var settings = ExampleSettings.FromEnvironment(Console.Error);
if (settings is null)
{
    return 2;
}

// The webhook injects these four variables into every container of an opted-in pod.
string[] required = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"];
var missing = required.Where(n => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(n))).ToArray();
if (missing.Length > 0)
{
    Console.Error.WriteLine(
        $"{string.Join(", ", missing)} not set: label the pod azure.workload.identity/use=\"true\" and annotate its " +
        "service account with azure.workload.identity/client-id so the webhook injects them");
    return 2;
}

if (!Uri.TryCreate(Environment.GetEnvironmentVariable("AZURE_AUTHORITY_HOST"), UriKind.Absolute, out var authorityHost))
{
    Console.Error.WriteLine("AZURE_AUTHORITY_HOST is not an absolute URL, e.g. https://login.microsoftonline.com/");
    return 2;
}

var credential = new MsalTokenCredential(
    Environment.GetEnvironmentVariable("AZURE_CLIENT_ID")!,
    Environment.GetEnvironmentVariable("AZURE_TENANT_ID")!,
    authorityHost,
    Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE")!,
    settings.DisableInstanceDiscovery);

var client = new SecretClient(settings.KeyVaultUrl, credential, settings.SecretClientOptions());
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    return await settings.RunAsync(client, Console.Out, Console.Error, stop.Token);
}
catch (Microsoft.Identity.Client.MsalServiceException e)
{
    Console.Error.WriteLine($"token exchange failed: {e.ErrorCode}: {e.Message}");
    return 1;
}
