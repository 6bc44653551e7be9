using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>Graph <c>/servicePrincipals</c>: create for an application, get, list (filter) and delete.</summary>
internal static class ServicePrincipalsApi
{
    private const string EntitySet = "servicePrincipals";

    public static async Task<IResult> CreateAsync(HttpContext context, SandboxDirectory directory)
    {
        var (body, error) = await GraphRequestBody.ReadAsync(context, GraphJsonContext.Default.ServicePrincipalCreateRequest);
        if (error is not null)
        {
            return error;
        }

        var appId = body!.AppId;
        if (string.IsNullOrWhiteSpace(appId))
        {
            return GraphError.BadRequest(context, "Property 'appId' is required to create a service principal.");
        }

        var (principal, problem) = directory.Update<(ServicePrincipal?, string?)>(state =>
        {
            var app = state.Applications.Values.FirstOrDefault(a => string.Equals(a.AppId, appId, StringComparison.OrdinalIgnoreCase));
            if (app is null)
            {
                return (state, (null, GraphError.BadRequestCode));
            }

            if (state.ServicePrincipals.Values.Any(p => string.Equals(p.AppId, appId, StringComparison.OrdinalIgnoreCase)))
            {
                return (state, (null, GraphError.MultipleObjectsWithSameKeyValue));
            }

            var sp = new ServicePrincipal(directory.TenantId, Guid.NewGuid().ToString(), app.AppId, app.DisplayName, directory.Time.GetUtcNow());
            return (state with { ServicePrincipals = state.ServicePrincipals.With(sp.ObjectId, sp) }, (sp, null));
        });
        return problem switch
        {
            GraphError.BadRequestCode => GraphError.BadRequest(
                context,
                $"The appId '{appId}' of the service principal does not reference a valid application object. Create the application first (POST /applications)."),
            GraphError.MultipleObjectsWithSameKeyValue => GraphError.Create(
                context,
                StatusCodes.Status409Conflict,
                GraphError.MultipleObjectsWithSameKeyValue,
                $"The service principal cannot be created, updated, or restored because the service principal name {appId} is already in use."),
            _ => GraphJson.Entity(context, EntitySet, GraphRepresentations.ServicePrincipal(principal!), StatusCodes.Status201Created),
        };
    }

    /// <summary>The object id of the service principal of application <paramref name="appId"/>, or the app id itself.</summary>
    public static string ObjectIdOf(SandboxDirectory directory, string appId) =>
        directory.Snapshot.ServicePrincipals.Values.FirstOrDefault(p => string.Equals(p.AppId, appId, StringComparison.OrdinalIgnoreCase))?.ObjectId
        ?? appId;

    public static IResult Get(HttpContext context, SandboxDirectory directory, string id) =>
        directory.Snapshot.ServicePrincipals.TryGetValue(id, out var sp)
            ? GraphJson.Entity(context, EntitySet, GraphRepresentations.ServicePrincipal(sp))
            : GraphError.NotFound(context, id);

    public static IResult List(HttpContext context, SandboxDirectory directory) =>
        FilteredCollection.List(
            context,
            EntitySet,
            "service principals",
            directory.Snapshot.ServicePrincipals.Values.OrderBy(p => p.CreatedAt),
            [("appId", p => p.AppId), ("displayName", p => p.DisplayName), ("id", p => p.ObjectId)],
            GraphRepresentations.ServicePrincipal);

    public static IResult Delete(HttpContext context, SandboxDirectory directory, string id)
    {
        var deleted = directory.Update(state => state.ServicePrincipals.ContainsKey(id)
            ? (state with { ServicePrincipals = state.ServicePrincipals.Without(id) }, true)
            : (state, false));
        return deleted ? Results.NoContent() : GraphError.NotFound(context, id);
    }
}
