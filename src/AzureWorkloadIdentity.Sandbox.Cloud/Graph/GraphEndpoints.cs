using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// The sandbox's Microsoft Graph v1.0 subset (base URL <c>https://127.0.0.1:PORT/v1.0</c>): applications, their
/// service principals and federated identity credentials, over <see cref="SandboxDirectory"/>. Every route needs a
/// bearer token for <c>https://graph.microsoft.com</c> from the sandbox's Entra ID.
/// </summary>
public static class GraphEndpoints
{
    public static IEndpointRouteBuilder MapGraph(this IEndpointRouteBuilder endpoints, SandboxDirectory directory, IAccessTokenValidator tokens)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(tokens);

        var graph = endpoints.MapGroup("/v1.0").AddEndpointFilter(new GraphAuthentication(directory, tokens));

        graph.MapPost("/applications", (HttpRequest r) => ApplicationsApi.CreateAsync(r.HttpContext, directory));
        graph.MapGet("/applications", (HttpContext c) => ApplicationsApi.List(c, directory));
        graph.MapGet("/applications/{id}", (HttpContext c, string id) => ApplicationsApi.Get(c, directory, id));
        graph.MapPatch("/applications/{id}", (HttpContext c, string id) => ApplicationsApi.UpdateAsync(c, directory, id));
        graph.MapDelete("/applications/{id}", (HttpContext c, string id) => ApplicationsApi.Delete(c, directory, id));

        // Alternate key: /applications(appId='{appId}'), as ApplicationsWithAppId() in the SDK addresses it.
        graph.MapGet("/applications(appId='{appId}')", (HttpContext c, string appId) =>
            ApplicationsApi.Get(c, directory, ApplicationsApi.ObjectIdOf(directory, appId)));
        graph.MapPatch("/applications(appId='{appId}')", (HttpContext c, string appId) =>
            ApplicationsApi.UpdateAsync(c, directory, ApplicationsApi.ObjectIdOf(directory, appId)));
        graph.MapDelete("/applications(appId='{appId}')", (HttpContext c, string appId) =>
            ApplicationsApi.Delete(c, directory, ApplicationsApi.ObjectIdOf(directory, appId)));

        graph.MapPost("/servicePrincipals", (HttpRequest r) => ServicePrincipalsApi.CreateAsync(r.HttpContext, directory));
        graph.MapGet("/servicePrincipals", (HttpContext c) => ServicePrincipalsApi.List(c, directory));
        graph.MapGet("/servicePrincipals/{id}", (HttpContext c, string id) => ServicePrincipalsApi.Get(c, directory, id));
        graph.MapGet("/servicePrincipals(appId='{appId}')", (HttpContext c, string appId) =>
            ServicePrincipalsApi.Get(c, directory, ServicePrincipalsApi.ObjectIdOf(directory, appId)));
        graph.MapDelete("/servicePrincipals/{id}", (HttpContext c, string id) => ServicePrincipalsApi.Delete(c, directory, id));

        const string credentials = "/applications/{id}/federatedIdentityCredentials";
        graph.MapPost(credentials, (HttpContext c, string id) => FederatedIdentityCredentialsApi.CreateAsync(c, directory, id));
        graph.MapGet(credentials, (HttpContext c, string id) => FederatedIdentityCredentialsApi.List(c, directory, id));
        graph.MapGet(credentials + "/{credential}", (HttpContext c, string id, string credential) =>
            FederatedIdentityCredentialsApi.Get(c, directory, id, credential));
        graph.MapDelete(credentials + "/{credential}", (HttpContext c, string id, string credential) =>
            FederatedIdentityCredentialsApi.Delete(c, directory, id, credential));

        // Anything else under /v1.0 answers in Graph's shape rather than with an empty 404.
        graph.Map("/{**rest}", (HttpContext c, string? rest) => GraphError.Create(
            c, StatusCodes.Status400BadRequest, GraphError.BadRequestCode, $"Resource not found for the segment '{rest}'. The sandbox's Graph serves applications, servicePrincipals and applications/{{id}}/federatedIdentityCredentials."));
        return endpoints;
    }
}
