using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// <c>--auth-method</c> and its credentials. <see cref="Validate"/> runs before any phase, in the original's order;
/// secrets are only handed to Azure.Identity, never printed.
/// </summary>
internal sealed record AuthenticationSettings(
    string? Method, string? ClientId, string? ClientSecret, string? CertificatePath, string? PrivateKeyPath)
{
    public const string Cli = "cli";
    public const string ClientSecretMethod = "client_secret";
    public const string ClientCertificate = "client_certificate";
    public const string Default = "default";

    /// <summary>Checks the flags and returns the effective method (cli with id and secret becomes client_secret).</summary>
    public string Validate()
    {
        var method = Method?.Trim() ?? string.Empty;
        if (method.Length == 0)
        {
            throw new CliUsageException("--auth-method is a required parameter: use cli, client_secret, client_certificate or default");
        }

        if (method == Cli && !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret))
        {
            method = ClientSecretMethod;
        }

        if (method is ClientSecretMethod or ClientCertificate)
        {
            if (!Guid.TryParse(ClientId, out _))
            {
                throw new CliUsageException(
                    $"parsing --client-id: \"{ClientId}\" is not a valid UUID; pass the application (client) ID of the identity azwi signs in as");
            }

            if (method == ClientSecretMethod && string.IsNullOrEmpty(ClientSecret))
            {
                throw new CliUsageException("--client-secret must be specified when --auth-method=\"client_secret\"");
            }

            if (method == ClientCertificate && (string.IsNullOrEmpty(CertificatePath) || string.IsNullOrEmpty(PrivateKeyPath)))
            {
                throw new CliUsageException(
                    "--certificate-path and --private-key-path must be specified when --auth-method=\"client_certificate\"");
            }
        }
        else if (method is not (Cli or Default))
        {
            throw new CliUsageException(
                $"--auth-method: ERROR: method unsupported. method=\"{method}\"; use cli, client_secret, client_certificate or default");
        }

        return method;
    }

    public TokenCredential CreateCredential(string method, CloudSettings cloud, string tenantId, HttpPipelineTransport? transport)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        var authority = cloud.Cloud.AuthorityHost;
        switch (method)
        {
            case ClientSecretMethod:
                return new ClientSecretCredential(tenantId, ClientId, ClientSecret, Configure(new ClientSecretCredentialOptions(), authority, cloud, transport));
            case ClientCertificate:
                return new ClientCertificateCredential(tenantId, ClientId, LoadCertificate(), Configure(new ClientCertificateCredentialOptions(), authority, cloud, transport));
            case Default:
                var options = Configure(new DefaultAzureCredentialOptions(), authority, cloud, transport);
                options.TenantId = tenantId;
                return new DefaultAzureCredential(options);
            default:
                return new AzureCliCredential(new AzureCliCredentialOptions { TenantId = tenantId });
        }
    }

    private static T Configure<T>(T options, Uri authority, CloudSettings cloud, HttpPipelineTransport? transport)
        where T : TokenCredentialOptions
    {
        options.AuthorityHost = authority;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        // A custom cloud (Azure Stack, the sandbox) has no instance-discovery metadata at login.microsoftonline.com.
        switch (options)
        {
            case ClientSecretCredentialOptions secret:
                secret.DisableInstanceDiscovery = cloud.IsCustom;
                break;
            case ClientCertificateCredentialOptions certificate:
                certificate.DisableInstanceDiscovery = cloud.IsCustom;
                break;
            case DefaultAzureCredentialOptions defaults:
                defaults.DisableInstanceDiscovery = cloud.IsCustom;
                break;
        }

        return options;
    }

    private X509Certificate2 LoadCertificate()
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(CertificatePath!, PrivateKeyPath);
            // Re-import so the private key is usable on every platform (ephemeral PEM keys are not on Windows).
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException(
                $"--certificate-path/--private-key-path: cannot load the certificate and key ({exception.Message}); pass a PEM certificate and its RSA private key (PKCS#1 or PKCS#8)");
        }
    }
}
