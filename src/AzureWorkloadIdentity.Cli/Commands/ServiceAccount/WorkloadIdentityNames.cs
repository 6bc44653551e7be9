using System.Security.Cryptography;
using System.Text;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>The documented default names, subject and description derived from the service account and issuer.</summary>
internal static class WorkloadIdentityNames
{
    public const string Audience = "api://AzureADTokenExchange";

    /// <summary>
    /// <c>&lt;namespace&gt;-&lt;name&gt;-&lt;H&gt;</c>, H = base64url <b>with</b> padding of SHA-256 of the issuer URL exactly
    /// as typed (a trailing slash changes it).
    /// </summary>
    public static string ApplicationName(string serviceAccountNamespace, string serviceAccountName, string issuerUrl) =>
        $"{serviceAccountNamespace}-{serviceAccountName}-{PaddedBase64UrlSha256(issuerUrl)}";

    /// <summary>base64url with padding of SHA-256 over <c>&lt;namespace&gt;-&lt;name&gt;-&lt;issuer&gt;</c>.</summary>
    public static string FederatedCredentialName(string serviceAccountNamespace, string serviceAccountName, string issuerUrl) =>
        PaddedBase64UrlSha256($"{serviceAccountNamespace}-{serviceAccountName}-{issuerUrl}");

    /// <summary>
    /// The credential name on a user-assigned identity: Resource Manager requires
    /// <c>^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$</c>, which the padded application-credential name breaks (<c>=</c>, and it
    /// may start with <c>-</c> or <c>_</c>), so the same hash unpadded after a fixed <c>azwi-</c> prefix.
    /// </summary>
    public static string ManagedIdentityCredentialName(string serviceAccountNamespace, string serviceAccountName, string issuerUrl) =>
        "azwi-" + FederatedCredentialName(serviceAccountNamespace, serviceAccountName, issuerUrl).TrimEnd('=');

    public static string Subject(string serviceAccountNamespace, string serviceAccountName) =>
        $"system:serviceaccount:{serviceAccountNamespace}:{serviceAccountName}";

    public static string Description(string serviceAccountNamespace, string serviceAccountName) =>
        $"Federated Service Account for {serviceAccountNamespace}/{serviceAccountName}";

    private static string PaddedBase64UrlSha256(string text) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))).Replace('+', '-').Replace('/', '_');
}
