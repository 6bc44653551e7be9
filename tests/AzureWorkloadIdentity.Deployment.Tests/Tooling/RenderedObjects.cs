using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Deployment.Tests.Tooling;

/// <summary>Rendered YAML as KubernetesClient models, read strictly: an unknown or misspelled field fails.</summary>
internal sealed class RenderedObjects(IReadOnlyList<object> objects)
{
    public IReadOnlyList<object> All { get; } = objects;

    public static RenderedObjects Parse(string yaml) => new(KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true));

    public T Single<T>() => Assert.Single(All.OfType<T>());

    public bool Has<T>() => All.OfType<T>().Any();

    /// <summary>The pod entry of the MutatingWebhookConfiguration.</summary>
    public V1MutatingWebhook Webhook => Assert.Single(Single<V1MutatingWebhookConfiguration>().Webhooks, w => w.Name == "mutation.azure-workload-identity.io");

    /// <summary>The workload warnings entry, or null when the chart leaves it out.</summary>
    public V1MutatingWebhook? WorkloadsWebhook =>
        Single<V1MutatingWebhookConfiguration>().Webhooks.SingleOrDefault(w => w.Name == "workloads.azure-workload-identity.io");

    public V1Container Manager => Assert.Single(Single<V1Deployment>().Spec.Template.Spec.Containers);

    public IEnumerable<string> Kinds => All.OfType<IKubernetesObject>().Select(o => o.Kind);
}
