using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary><c>spec.initContainers</c> or <c>spec.containers</c>: its JSON kind and every element, in order.</summary>
internal sealed class ContainerListView
{
    /// <summary>No such member.</summary>
    public static ContainerListView Absent { get; } = new();

    /// <summary>The member's JSON kind (undefined when absent).</summary>
    public JsonValueKind Kind { get; internal set; }

    /// <summary>True when the member is an array (patches append to it instead of creating it).</summary>
    public bool Exists => Kind == JsonValueKind.Array;

    /// <summary>The elements (also those that are not objects, so indices match the pod's).</summary>
    public IReadOnlyList<ContainerView> Items { get; internal set; } = [];

    /// <summary>True when a container is named <paramref name="name"/>.</summary>
    public bool Contains(string name)
    {
        foreach (var container in Items)
        {
            if (container.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
