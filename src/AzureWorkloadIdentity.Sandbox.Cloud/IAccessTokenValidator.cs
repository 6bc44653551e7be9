namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>
/// Validates the bearer tokens the sandbox's Entra ID issued (signature, issuer, audience, lifetime), for the
/// resource servers: Graph, Resource Manager and Key Vault. Implemented by the Entra ID stand-in.
/// </summary>
public interface IAccessTokenValidator
{
    /// <summary>Validates an <c>Authorization</c> header value (<c>Bearer …</c>) for one of the audiences.</summary>
    AccessTokenValidation Validate(string? authorizationHeader, IReadOnlyCollection<string> acceptedAudiences);
}

/// <summary>The outcome of <see cref="IAccessTokenValidator.Validate"/>.</summary>
/// <param name="Error">Why the token was refused, when <see cref="IsValid"/> is false; never contains the token.</param>
/// <param name="ObjectId">The <c>oid</c> claim: the caller's principal id, used for authorization.</param>
public sealed record AccessTokenValidation(bool IsValid, string? TenantId, string? ObjectId, string? AppId, string? Error)
{
    public static AccessTokenValidation Refused(string error) => new(false, null, null, null, error);
}
