using Azure.Security.KeyVault.Secrets;

namespace AzureWorkloadIdentity.Examples;

/// <summary>
/// The settings both samples read from the environment. Only KEYVAULT_URL and SECRET_NAME are needed in a real
/// cluster (the webhook injects the identity variables); the others exist for local runs and the sandbox.
/// </summary>
internal sealed record ExampleSettings(
    Uri KeyVaultUrl,
    string SecretName,
    TimeSpan RefreshInterval,
    bool DisableInstanceDiscovery,
    bool DisableChallengeResourceVerification)
{
    /// <summary>Reads the settings; on a missing or malformed variable prints why and returns null.</summary>
    public static ExampleSettings? FromEnvironment(TextWriter error)
    {
        var url = Environment.GetEnvironmentVariable("KEYVAULT_URL");
        var name = Environment.GetEnvironmentVariable("SECRET_NAME");
        if (string.IsNullOrWhiteSpace(url))
        {
            error.WriteLine("KEYVAULT_URL environment variable not set: set it to the vault's URL, e.g. https://myvault.vault.azure.net/");
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
        {
            error.WriteLine($"KEYVAULT_URL \"{url}\" is not an https URL: set it to the vault's URL, e.g. https://myvault.vault.azure.net/");
            return null;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            error.WriteLine("SECRET_NAME environment variable not set: set it to the name of the secret to read");
            return null;
        }

        var refresh = Environment.GetEnvironmentVariable("SECRET_REFRESH_SECONDS");
        var seconds = 60;
        if (!string.IsNullOrWhiteSpace(refresh) && (!int.TryParse(refresh, out seconds) || seconds < 0))
        {
            error.WriteLine($"SECRET_REFRESH_SECONDS \"{refresh}\" is not a whole number of seconds (0 = read once and exit)");
            return null;
        }

        return new ExampleSettings(
            vault,
            name,
            TimeSpan.FromSeconds(seconds),
            Flag("AZURE_DISABLE_INSTANCE_DISCOVERY"),
            Flag("KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION"));
    }

    /// <summary>Options for the secret client; verification is only relaxed when configured (the sandbox's loopback vault).</summary>
    public SecretClientOptions SecretClientOptions() =>
        new() { DisableChallengeResourceVerification = DisableChallengeResourceVerification };

    /// <summary>Reads the secret once, or every <see cref="RefreshInterval"/> until stopped.</summary>
    public async Task<int> RunAsync(SecretClient client, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                KeyVaultSecret secret = await client.GetSecretAsync(SecretName, cancellationToken: cancellationToken);
                output.WriteLine($"successfully got secret, secret={secret.Value}");
            }
            catch (Exception e) when (e is Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
            {
                error.WriteLine($"failed to get secret \"{SecretName}\" from {KeyVaultUrl}: {e.Message}");
                return 1;
            }

            if (RefreshInterval == TimeSpan.Zero)
            {
                return 0;
            }

            await Task.Delay(RefreshInterval, cancellationToken);
        }
    }

    private static bool Flag(string name) =>
        string.Equals(Environment.GetEnvironmentVariable(name), "true", StringComparison.OrdinalIgnoreCase);
}
