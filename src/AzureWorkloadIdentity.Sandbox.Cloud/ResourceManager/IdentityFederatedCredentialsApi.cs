using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>
/// <c>…/userAssignedIdentities/{identity}/federatedIdentityCredentials/{name}</c>: PUT (create or update), GET, list,
/// DELETE, with the documented managed-identity rules and error texts.
/// </summary>
internal static class IdentityFederatedCredentialsApi
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
    private const int MaxPerIdentity = 20;
    private const int MaxValueLength = 600;

    public static async Task<IResult> PutAsync(HttpRequest request, SandboxDirectory directory, string resourceGroupName, string identityName, string name)
    {
        var (body, error) = await ArmJson.ReadAsync(request, ArmJsonContext.Default.IdentityCredentialRequest);
        if (error is not null)
        {
            return error;
        }

        if (Validate(body!, name) is { } invalid)
        {
            return ArmError.BadRequest("BadRequest", invalid);
        }

        var properties = body!.Properties!;
        var result = directory.Update<(FederatedCredential? Credential, bool Created, IResult? Error)>(state =>
        {
            if (UserAssignedIdentitiesApi.Find(state, directory.SubscriptionId, resourceGroupName, identityName) is not { } identity)
            {
                return (state, (null, false, ArmError.Create(
                    StatusCodes.Status404NotFound, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.")));
            }

            var existing = identity.FederatedCredentials.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (identity.FederatedCredentials.Any(c => c != existing
                && string.Equals(c.Issuer, properties.Issuer, StringComparison.Ordinal)
                && string.Equals(c.Subject, properties.Subject, StringComparison.Ordinal)))
            {
                return (state, (null, false, ArmError.BadRequest(
                    "BadRequest", "Issuer and subject combination already exists for this Managed Identity.")));
            }

            if (existing is null && identity.FederatedCredentials.Count >= MaxPerIdentity)
            {
                return (state, (null, false, ArmError.BadRequest(
                    "BadRequest",
                    $"Too many federated identity credentials: a user-assigned identity has at most {MaxPerIdentity}. Delete one before adding another.")));
            }

            var credential = new FederatedCredential(
                $"{identity.ResourceId}/federatedIdentityCredentials/{existing?.Name ?? name}",
                existing?.Name ?? name,
                properties.Issuer!,
                properties.Subject!,
                [properties.Audiences![0]]);
            var credentials = existing is null
                ? [.. identity.FederatedCredentials, credential]
                : identity.FederatedCredentials.Select(c => c == existing ? credential : c).ToList();
            var updated = identity with { FederatedCredentials = credentials };
            return (state with { Identities = state.Identities.With(identity.ResourceId, updated) }, (credential, existing is null, null));
        });
        return result.Error ?? ArmJson.Result(Represent(result.Credential!), result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static IResult Get(SandboxDirectory directory, string resourceGroupName, string identityName, string name)
    {
        if (UserAssignedIdentitiesApi.Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName, identityName) is not { } identity)
        {
            return UserAssignedIdentitiesApi.NotFound(directory, resourceGroupName, identityName);
        }

        return identity.FederatedCredentials.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) is { } credential
            ? ArmJson.Result(Represent(credential))
            : ArmError.ResourceNotFound($"{UserAssignedIdentitiesApi.Type}/{identityName}/federatedIdentityCredentials", name, resourceGroupName);
    }

    public static IResult List(SandboxDirectory directory, string resourceGroupName, string identityName) =>
        UserAssignedIdentitiesApi.Find(directory.Snapshot, directory.SubscriptionId, resourceGroupName, identityName) is { } identity
            ? ArmJson.List(identity.FederatedCredentials.Select(Represent))
            : UserAssignedIdentitiesApi.NotFound(directory, resourceGroupName, identityName);

    /// <summary>200 when deleted, 204 when there was nothing to delete.</summary>
    public static IResult Delete(SandboxDirectory directory, string resourceGroupName, string identityName, string name)
    {
        var deleted = directory.Update(state =>
        {
            var identity = UserAssignedIdentitiesApi.Find(state, directory.SubscriptionId, resourceGroupName, identityName);
            if (identity is null || !identity.FederatedCredentials.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return (state, false);
            }

            var updated = identity with
            {
                FederatedCredentials = [.. identity.FederatedCredentials.Where(c => !string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))],
            };
            return (state with { Identities = state.Identities.With(identity.ResourceId, updated) }, true);
        });
        return deleted ? Results.Ok() : Results.NoContent();
    }

    private static string? Validate(IdentityCredentialRequest body, string name)
    {
        if (!ArmNames.IsValidIdentityCredentialName(name))
        {
            return $"Federated Identity Credential name '{name}' is invalid. It must match ^[a-zA-Z0-9]{{1}}[a-zA-Z0-9-_]{{2,119}}$.";
        }

        if (body.Properties is not { } properties
            || (properties.Issuer is null && properties.Subject is null && properties.Audiences is null))
        {
            return "Federated Identity Credential from HTTP body has empty properties";
        }

        if (properties.Audiences is not { Count: 1 } || string.IsNullOrEmpty(properties.Audiences[0]) || properties.Audiences[0].Length > MaxValueLength)
        {
            return "Federated identity credentials must have exactly one audience.";
        }

        if (string.IsNullOrEmpty(properties.Issuer) || properties.Issuer.Length > MaxValueLength
            || properties.Issuer.Trim().Length != properties.Issuer.Length
            || !Uri.TryCreate(properties.Issuer, UriKind.Absolute, out _))
        {
            return $"Federated Identity Credential issuer '{properties.Issuer}' is invalid: an absolute URL of at most {MaxValueLength} characters without surrounding white space is required.";
        }

        if (string.IsNullOrEmpty(properties.Subject) || properties.Subject.Length > MaxValueLength)
        {
            return $"Federated Identity Credential subject is invalid: 1 to {MaxValueLength} characters are required.";
        }

        return null;
    }

    private static JsonObject Represent(FederatedCredential credential) => new()
    {
        ["id"] = credential.Id,
        ["name"] = credential.Name,
        ["type"] = Type,
        ["properties"] = new JsonObject
        {
            ["issuer"] = credential.Issuer,
            ["subject"] = credential.Subject,
            ["audiences"] = ArmJson.Strings(credential.Audiences),
        },
    };
}
