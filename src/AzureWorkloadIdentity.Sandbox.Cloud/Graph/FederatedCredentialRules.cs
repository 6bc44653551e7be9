using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// Entra's rules for an application's federated identity credentials: at most 20 per application; issuer, subject
/// and exactly one audience required (600 characters each at most); a name of up to 120 URL-safe characters. Graph
/// accepts azwi's names (base64url with <c>=</c> padding), so only characters that would break the URL are refused.
/// </summary>
internal static class FederatedCredentialRules
{
    public const int MaxPerApplication = 20;
    private const int MaxValueLength = 600;
    private const int MaxNameLength = 120;
    private const int MinNameLength = 3;

    /// <summary>Why <paramref name="request"/> is invalid as a new credential, or null when it is valid.</summary>
    public static string? Validate(FederatedCredentialCreateRequest request)
    {
        if (string.IsNullOrEmpty(request.Name) || request.Name.Length is < MinNameLength or > MaxNameLength)
        {
            return $"Property 'name' is required and must be {MinNameLength} to {MaxNameLength} characters long.";
        }

        if (request.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or '?' or '#' or '%' or '&' or ':' or '\''))
        {
            return $"FederatedIdentityCredential name '{request.Name}' is invalid: it must be URL friendly (no spaces, '/', '\\', '?', '#', '%', '&', ':' or quotes).";
        }

        if (string.IsNullOrEmpty(request.Issuer) || request.Issuer.Length > MaxValueLength)
        {
            return $"Property 'issuer' is required and must be at most {MaxValueLength} characters long.";
        }

        if (request.Issuer.Trim().Length != request.Issuer.Length || !Uri.TryCreate(request.Issuer, UriKind.Absolute, out _))
        {
            return $"Property 'issuer' must be an absolute URL without leading or trailing white space; got '{request.Issuer}'.";
        }

        if (string.IsNullOrEmpty(request.Subject) || request.Subject.Length > MaxValueLength)
        {
            return $"Property 'subject' is required and must be at most {MaxValueLength} characters long.";
        }

        if (request.Audiences is not { Count: 1 } || string.IsNullOrEmpty(request.Audiences[0]) || request.Audiences[0].Length > MaxValueLength)
        {
            return "Property 'audiences' must contain exactly one value of at most 600 characters (usually api://AzureADTokenExchange).";
        }

        if (request.Description is { Length: > MaxValueLength })
        {
            return $"Property 'description' must be at most {MaxValueLength} characters long.";
        }

        return null;
    }

    /// <summary>The existing credential that <paramref name="request"/> collides with, by name or by issuer and subject.</summary>
    public static FederatedCredential? Conflict(IEnumerable<FederatedCredential> existing, FederatedCredentialCreateRequest request) =>
        existing.FirstOrDefault(c =>
            string.Equals(c.Name, request.Name, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(c.Issuer, request.Issuer, StringComparison.Ordinal) && string.Equals(c.Subject, request.Subject, StringComparison.Ordinal)));
}
