using System.Globalization;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>The AADSTS refusals the sandbox's token endpoint gives, with Entra ID's codes and texts.</summary>
public static class EntraErrors
{
    private const string FederationDocs = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
    private const string KeysDocs = "Review the documentation at https://docs.microsoft.com/en-us/graph/api/application-get to learn more.";

    public static EntraError UnknownTenant(string tenant) => new(400, "invalid_tenant", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    public static EntraError MissingParameter(string name) => new(400, "invalid_request", 900144,
        $"The request body must contain the following parameter: '{name}'.");

    public static EntraError UnsupportedGrantType(string grantType) => new(400, "unsupported_grant_type", 70003,
        $"The app requested an unsupported grant type '{grantType}'. The sandbox supports client_credentials.");

    public static EntraError InvalidScope(string scope) => new(400, "invalid_scope", 1002012,
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static EntraError UnknownClient(string clientId, string tenant) => new(400, "unauthorized_client", 700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static EntraError MissingServicePrincipal(string clientId, string tenant) => new(400, "invalid_client", 7000229,
        $"The client application {clientId} is missing service principal in the tenant {tenant}.");

    public static EntraError MissingCredential() => new(401, "invalid_client", 7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static EntraError UnsupportedAssertionType(string type) => new(400, "invalid_request", 50027,
        $"InvalidJwtToken - Invalid JWT token. The client_assertion_type '{type}' is not supported; use urn:ietf:params:oauth:client-assertion-type:jwt-bearer.");

    public static EntraError InvalidSecret(string clientId) => new(401, "invalid_client", 7000215,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");

    public static EntraError MalformedAssertion(string reason) => new(400, "invalid_request", 50027,
        $"InvalidJwtToken - Invalid JWT token because of {reason}.");

    public static EntraError EntraIssuedAssertion() => new(400, "invalid_request", 700222,
        "AAD-issued tokens may not be used for federated identity flows.");

    public static EntraError NoMatchingIssuer(string issuer) => new(400, "invalid_client", 700211,
        $"No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. {FederationDocs}");

    public static EntraError NoMatchingSubject(string subject, bool differsOnlyInCase) => differsOnlyInCase
        ? new(400, "invalid_client", 7002138,
            $"No matching federated identity record found for presented assertion subject '{subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. {FederationDocs}")
        : new(400, "invalid_client", 700213,
            $"No matching federated identity record found for presented assertion subject '{subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. {FederationDocs}");

    public static EntraError NoMatchingRecord(string issuer, string subject, string audience) => new(400, "invalid_request", 70021,
        $"No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'. {FederationDocs}");

    public static EntraError IssuerUnreachable(string issuer, string reason) => new(400, "invalid_request", 90061,
        $"Request to External OIDC endpoint failed. Issuer: '{issuer}'. Reason: {reason}");

    public static EntraError BadSignature() => new(400, "invalid_client", 700027,
        "Client assertion failed signature validation.");

    public static EntraError OutsideValidTime(DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expires) => new(400, "invalid_client", 700024,
        string.Create(CultureInfo.InvariantCulture,
            $"Client assertion is not within its valid time range. Current time: {now:yyyy-MM-ddTHH:mm:ss.fffffffZ}, assertion valid from {notBefore ?? DateTimeOffset.UnixEpoch:yyyy-MM-ddTHH:mm:ss.fffffffZ}, expiry time of assertion {expires ?? DateTimeOffset.UnixEpoch:yyyy-MM-ddTHH:mm:ss.fffffffZ}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."));

    public static EntraError NoConfiguredKeys() => new(401, "invalid_client", 700026,
        "Client application has no configured keys.");

    public static EntraError UnknownCertificate(string thumbprint, string clientId) => new(401, "invalid_client", 700027,
        $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'. {KeysDocs}]");

    /// <summary>A registered certificate outside its validity: Entra's "key used is expired" (or, before its start, not yet valid).</summary>
    public static EntraError CertificateOutsideValidity(string thumbprint, string clientId, DateTimeOffset start, DateTimeOffset end, bool expired) => new(401, "invalid_client", 700027,
        string.Create(CultureInfo.InvariantCulture,
            $"Client assertion contains an invalid signature. [Reason - The key used is {(expired ? "expired" : "not yet valid")}., Thumbprint of key used by client: '{thumbprint}', Found key 'Start={start:MM/dd/yyyy HH:mm:ss}, End={end:MM/dd/yyyy HH:mm:ss}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'. {KeysDocs}]"));

    public static EntraError InvalidAssertionAudience(string presented, string expected) => new(401, "invalid_client", 50012,
        $"Client assertion audience claim does not match Realm issuer. Presented audience: '{presented}'. Expected the token endpoint, e.g. '{expected}'.");

    public static EntraError TooManyAudiences(int count) => new(401, "invalid_client", 5002741,
        $"Number of audience values in the provided client credential exceed maximum allowed. {count} audience values provided, maximum allowed is 1.");
}
