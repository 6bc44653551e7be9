using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>The pod's <c>spec</c> as the rules read it.</summary>
internal sealed class PodSpecView
{
    /// <summary>No <c>spec</c> member.</summary>
    public static PodSpecView Absent { get; } = new();

    /// <summary>The member's JSON kind (undefined when absent).</summary>
    public JsonValueKind Kind { get; internal set; }

    /// <summary><c>serviceAccountName</c>, when a string.</summary>
    public string? ServiceAccountName { get; internal set; }

    /// <summary><c>hostNetwork: true</c>.</summary>
    public bool HostNetwork { get; internal set; }

    /// <summary>The JSON kind of <c>volumes</c> (undefined when absent).</summary>
    public JsonValueKind VolumesKind { get; internal set; }

    /// <summary>The volumes named <c>azure-identity-token</c>, in order; empty when there are none.</summary>
    public IReadOnlyList<TokenVolumeView> TokenVolumes { get; internal set; } = [];

    public ContainerListView InitContainers { get; internal set; } = ContainerListView.Absent;

    public ContainerListView Containers { get; internal set; } = ContainerListView.Absent;

    /// <summary>True when either container list has a container named <paramref name="name"/>.</summary>
    public bool HasContainer(string name) => InitContainers.Contains(name) || Containers.Contains(name);
}
