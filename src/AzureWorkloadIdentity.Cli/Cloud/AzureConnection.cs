using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// Signed-in clients for one command: Microsoft Graph (v1.0) and a Resource Manager pipeline (Azure.Core, with
/// ArmClientOptions' retries and bearer policy) for role definitions and assignments, which Azure.ResourceManager
/// 1.7 has no typed client for.
/// </summary>
public sealed class AzureConnection : IDisposable
{
    private readonly HttpClient? _graphHttp;

    private AzureConnection(CloudSettings cloud, string tenantId, string subscriptionId, GraphServiceClient graph, HttpPipeline resourceManager, HttpClient? graphHttp)
    {
        Cloud = cloud;
        TenantId = tenantId;
        SubscriptionId = subscriptionId;
        Graph = graph;
        ResourceManager = resourceManager;
        _graphHttp = graphHttp;
    }

    public CloudSettings Cloud { get; }

    public string TenantId { get; }

    public string SubscriptionId { get; }

    public GraphServiceClient Graph { get; }

    public HttpPipeline ResourceManager { get; }

    public static async Task<AzureConnection> ConnectAsync(
        CloudSettings cloud, AuthenticationSettings authentication, string method, string subscriptionId,
        Func<HttpMessageHandler>? createHandler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentNullException.ThrowIfNull(authentication);
        string tenantId;
        using (var discovery = createHandler is null ? new HttpClient() : new HttpClient(createHandler()))
        {
            tenantId = await TenantDiscovery.DiscoverAsync(discovery, cloud.Cloud.ResourceManagerEndpoint, subscriptionId, cancellationToken).ConfigureAwait(false);
        }

        var transport = createHandler is null ? null : new HttpClientTransport(new HttpClient(createHandler()));
        var credential = authentication.CreateCredential(method, cloud, tenantId, transport);

        // Explicit allowed host and scope: without them the Graph SDK sends no token to non-Graph hosts and Kiota
        // derives a scope that drops the port.
        var graphHost = new Uri(cloud.GraphBaseUrl).Host;
        var provider = new AzureIdentityAuthenticationProvider(credential, [graphHost], null, true, cloud.GraphScope);
        var graphHttp = createHandler is null ? null : GraphClientFactory.Create(finalHandler: createHandler());
        var graph = graphHttp is null
            ? new GraphServiceClient(provider, cloud.GraphBaseUrl)
            : new GraphServiceClient(graphHttp, provider, cloud.GraphBaseUrl);

        var armOptions = new ArmClientOptions();
        if (transport is not null)
        {
            armOptions.Transport = transport;
        }

        var pipeline = HttpPipelineBuilder.Build(armOptions, new BearerTokenAuthenticationPolicy(credential, cloud.ResourceManagerScope));
        return new AzureConnection(cloud, tenantId, subscriptionId, graph, pipeline, graphHttp);
    }

    public void Dispose()
    {
        Graph.Dispose();
        _graphHttp?.Dispose();
    }
}
