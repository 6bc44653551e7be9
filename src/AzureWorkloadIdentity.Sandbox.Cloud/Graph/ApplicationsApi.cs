using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>Graph <c>/applications</c>: create, get, list (filter by displayName or appId) and delete.</summary>
internal static class ApplicationsApi
{
    private const string EntitySet = "applications";

    public static async Task<IResult> CreateAsync(HttpContext context, SandboxDirectory directory)
    {
        var (body, error) = await GraphRequestBody.ReadAsync(context, GraphJsonContext.Default.ApplicationCreateRequest);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.DisplayName))
        {
            return GraphError.BadRequest(context, "Invalid value specified for property 'displayName' of resource 'Application'.");
        }

        var app = new Application(
            directory.TenantId,
            Guid.NewGuid().ToString(),
            Guid.NewGuid().ToString(),
            body.DisplayName,
            directory.Time.GetUtcNow(),
            [],
            []);
        directory.Update(state => (state with { Applications = state.Applications.With(app.ObjectId, app) }, 0));
        return GraphJson.Entity(context, EntitySet, GraphRepresentations.Application(app), StatusCodes.Status201Created);
    }

    /// <summary>The object id of the application with client id <paramref name="appId"/>, or the app id itself
    /// (which then reports "not found" under the name the caller used).</summary>
    public static string ObjectIdOf(SandboxDirectory directory, string appId) =>
        directory.Snapshot.Applications.Values.FirstOrDefault(a => string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase))?.ObjectId
        ?? appId;

    /// <summary>One application; <c>$select</c> applies, and <c>$select=keyCredentials</c> returns certificate bytes.</summary>
    public static IResult Get(HttpContext context, SandboxDirectory directory, string id)
    {
        if (ODataQuery.Read(context, out var refusal) is not { } query)
        {
            return refusal!;
        }

        if (!directory.Snapshot.Applications.TryGetValue(id, out var app))
        {
            return GraphError.NotFound(context, id);
        }

        var withKeys = query.Select?.Contains("keyCredentials", StringComparer.OrdinalIgnoreCase) == true;
        return GraphJson.Entity(context, EntitySet, query.Project(GraphRepresentations.Application(app, withKeys)));
    }

    /// <summary>Updates the display name and/or replaces the certificate credentials; 204 as Graph answers.</summary>
    public static async Task<IResult> UpdateAsync(HttpContext context, SandboxDirectory directory, string id)
    {
        var (body, error) = await GraphRequestBody.ReadAsync(context, GraphJsonContext.Default.ApplicationUpdateRequest);
        if (error is not null)
        {
            return error;
        }

        if (body!.DisplayName is { } name && string.IsNullOrWhiteSpace(name))
        {
            return GraphError.BadRequest(context, "Invalid value specified for property 'displayName' of resource 'Application'.");
        }

        var problem = directory.Update<IResult?>(state =>
        {
            if (!state.Applications.TryGetValue(id, out var app))
            {
                return (state, GraphError.NotFound(context, id));
            }

            var keys = app.KeyCredentials;
            if (body.KeyCredentials is { } requested)
            {
                var (replaced, invalid) = KeyCredentialRules.Replace(app.KeyCredentials, requested);
                if (invalid is not null)
                {
                    return (state, GraphError.BadRequest(context, invalid));
                }

                keys = replaced!;
            }

            var updated = app with { DisplayName = body.DisplayName ?? app.DisplayName, KeyCredentials = keys };
            return (state with { Applications = state.Applications.With(app.ObjectId, updated) }, null);
        });
        return problem ?? Results.NoContent();
    }

    public static IResult List(HttpContext context, SandboxDirectory directory) =>
        FilteredCollection.List(
            context,
            EntitySet,
            "applications",
            directory.Snapshot.Applications.Values.OrderBy(a => a.CreatedDateTime),
            [("displayName", a => a.DisplayName), ("appId", a => a.AppId), ("id", a => a.ObjectId)],
            GraphRepresentations.Application);

    /// <summary>Deletes the application and, as Entra does, its service principal.</summary>
    public static IResult Delete(HttpContext context, SandboxDirectory directory, string id)
    {
        var deleted = directory.Update(state =>
        {
            if (!state.Applications.TryGetValue(id, out var app))
            {
                return (state, false);
            }

            return (state with
            {
                Applications = state.Applications.Without(id),
                ServicePrincipals = state.ServicePrincipals.Keep(p => !string.Equals(p.AppId, app.AppId, StringComparison.OrdinalIgnoreCase)),
            }, true);
        });
        return deleted ? Results.NoContent() : GraphError.NotFound(context, id);
    }
}
