using AzureWorkloadIdentity.Proxy.Diagnostics;
using AzureWorkloadIdentity.Proxy.Forwarding;
using AzureWorkloadIdentity.Proxy.Token;

namespace AzureWorkloadIdentity.Proxy;

internal static class ProxyEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapImdsProxy(this IEndpointRouteBuilder app) =>
        app.MapProbes().MapImdsToken().MapImdsForwarding();
}
