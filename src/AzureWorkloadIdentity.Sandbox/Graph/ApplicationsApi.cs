using AzureWorkloadIdentity.Sandbox.Cloud;
using Microsoft.AspNetCore.Http;

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

    public static IResult Get(HttpContext context, SandboxDirectory directory, string id) =>
        directory.Snapshot.Applications.TryGetValue(id, out var app)
            ? GraphJson.Entity(context, EntitySet, GraphRepresentations.Application(app))
            : GraphError.NotFound(context, id);

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
