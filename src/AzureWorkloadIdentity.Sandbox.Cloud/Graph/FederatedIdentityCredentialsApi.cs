using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>Graph <c>/applications/{id}/federatedIdentityCredentials</c>: create, get (by id or name), list, delete.</summary>
internal static class FederatedIdentityCredentialsApi
{
    private static string EntitySet(string applicationId) => $"applications('{applicationId}')/federatedIdentityCredentials";

    public static async Task<IResult> CreateAsync(HttpContext context, SandboxDirectory directory, string id)
    {
        var (body, error) = await GraphRequestBody.ReadAsync(context, GraphJsonContext.Default.FederatedCredentialCreateRequest);
        if (error is not null)
        {
            return error;
        }

        if (FederatedCredentialRules.Validate(body!) is { } invalid)
        {
            return GraphError.BadRequest(context, invalid);
        }

        var (created, problem) = directory.Update<(FederatedCredential?, IResult?)>(state =>
        {
            if (!state.Applications.TryGetValue(id, out var app))
            {
                return (state, (null, GraphError.NotFound(context, id)));
            }

            if (FederatedCredentialRules.Conflict(app.FederatedCredentials, body!) is { } existing)
            {
                var message = string.Equals(existing.Name, body!.Name, StringComparison.OrdinalIgnoreCase)
                    ? $"FederatedIdentityCredential with name {body.Name} already exists."
                    : $"FederatedIdentityCredential with issuer '{body.Issuer}' and subject '{body.Subject}' already exists (name {existing.Name}).";
                return (state, (null, GraphError.Create(context, StatusCodes.Status400BadRequest, GraphError.MultipleObjectsWithSameKeyValue, message)));
            }

            if (app.FederatedCredentials.Count >= FederatedCredentialRules.MaxPerApplication)
            {
                return (state, (null, GraphError.BadRequest(
                    context,
                    $"Application '{id}' already has the maximum of {FederatedCredentialRules.MaxPerApplication} federated identity credentials; delete one before adding another.")));
            }

            var credential = new FederatedCredential(
                Guid.NewGuid().ToString(), body!.Name!, body.Issuer!, body.Subject!, [body.Audiences![0]], body.Description);
            var updated = app with { FederatedCredentials = [.. app.FederatedCredentials, credential] };
            return (state with { Applications = state.Applications.With(app.ObjectId, updated) }, (credential, null));
        });
        return problem ?? GraphJson.Entity(
            context, EntitySet(id), GraphRepresentations.FederatedCredential(created!), StatusCodes.Status201Created);
    }

    public static IResult Get(HttpContext context, SandboxDirectory directory, string id, string credentialId)
    {
        if (!directory.Snapshot.Applications.TryGetValue(id, out var app))
        {
            return GraphError.NotFound(context, id);
        }

        return Find(app, credentialId) is { } credential
            ? GraphJson.Entity(context, EntitySet(id), GraphRepresentations.FederatedCredential(credential))
            : GraphError.NotFound(context, credentialId);
    }

    /// <summary>Lists the application's credentials; subjects and issuers are matched exactly (as Entra matches them on
    /// token exchange), names and ids ignoring case.</summary>
    public static IResult List(HttpContext context, SandboxDirectory directory, string id) =>
        directory.Snapshot.Applications.TryGetValue(id, out var app)
            ? FilteredCollection.List(
                context,
                EntitySet(id),
                "federated identity credentials",
                app.FederatedCredentials,
                [
                    ("subject", c => c.Subject, StringComparison.Ordinal),
                    ("issuer", c => c.Issuer, StringComparison.Ordinal),
                    ("name", c => c.Name, StringComparison.OrdinalIgnoreCase),
                    ("id", c => c.Id, StringComparison.OrdinalIgnoreCase),
                ],
                GraphRepresentations.FederatedCredential)
            : GraphError.NotFound(context, id);

    public static IResult Delete(HttpContext context, SandboxDirectory directory, string id, string credentialId)
    {
        var result = directory.Update<IResult?>(state =>
        {
            if (!state.Applications.TryGetValue(id, out var app))
            {
                return (state, GraphError.NotFound(context, id));
            }

            if (Find(app, credentialId) is not { } credential)
            {
                return (state, GraphError.NotFound(context, credentialId));
            }

            var updated = app with { FederatedCredentials = [.. app.FederatedCredentials.Where(c => c.Id != credential.Id)] };
            return (state with { Applications = state.Applications.With(app.ObjectId, updated) }, null);
        });
        return result ?? Results.NoContent();
    }

    /// <summary>Graph addresses a credential by its id or by its name.</summary>
    private static FederatedCredential? Find(Application app, string idOrName) =>
        app.FederatedCredentials.FirstOrDefault(c => string.Equals(c.Id, idOrName, StringComparison.OrdinalIgnoreCase))
        ?? app.FederatedCredentials.FirstOrDefault(c => string.Equals(c.Name, idOrName, StringComparison.OrdinalIgnoreCase));
}
