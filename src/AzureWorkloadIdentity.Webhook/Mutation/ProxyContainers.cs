using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>Rule 8's init container and sidecar for one proxy port, serialised once.</summary>
/// <param name="InitContainer">The <c>azwi-proxy-init</c> init container.</param>
/// <param name="Sidecar">The <c>azwi-proxy</c> sidecar.</param>
internal sealed record ProxyContainers(InjectedContainer InitContainer, InjectedContainer Sidecar)
{
    public static ProxyContainers Create(MutationOptions options, int port) => new(
        InjectedContainer.Create(ProxySidecarRule.CreateInitContainer(options, port)),
        InjectedContainer.Create(ProxySidecarRule.CreateSidecar(options, port)));
}
