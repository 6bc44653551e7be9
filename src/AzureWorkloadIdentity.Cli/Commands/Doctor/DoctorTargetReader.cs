using AzureWorkloadIdentity.Cli.Commands.PodIdentity;
using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>Reads what <c>--pod</c>, <c>--service-account</c> or <c>-f</c> names into a <see cref="DoctorTarget"/>.</summary>
internal static class DoctorTargetReader
{
    public static async Task<DoctorTarget> PodAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        V1Pod pod;
        try
        {
            pod = await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new CliUsageException($"--pod: pod {ns}/{name} not found; pass the name of a pod in --namespace {ns} (kubectl get pods -n {ns})");
        }

        IKubernetesObject<V1ObjectMeta> workload;
        try
        {
            workload = await OwnerResolver.ResolveAsync(client, pod, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpOperationException or InvalidOperationException)
        {
            workload = pod; // an owner that is gone or of another kind: the pod alone is diagnosed
        }

        return new DoctorTarget(ns, AccountOf(pod.Spec), $"pod {ns}/{name}", pod, workload, pod.Metadata, pod.Spec);
    }

    public static DoctorTarget ServiceAccount(string ns, string name) =>
        new(ns, name, $"service account {ns}/{name}", null, null, null, null);

    public static async Task<DoctorTarget> FileAsync(string path, string? ns, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"-f: cannot read {path}: {exception.Message}; pass a readable workload manifest");
        }

        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(text);
        }
        catch (Exception exception) when (exception is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException)
        {
            throw new CliUsageException($"-f: {path} is not a Kubernetes manifest: {exception.Message.ReplaceLineEndings(" ")}; pass a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob with apiVersion and kind");
        }

        var workload = objects.OfType<IKubernetesObject<V1ObjectMeta>>().FirstOrDefault(o => Template(o) is not null)
            ?? throw new CliUsageException($"-f: {path} has no Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob");
        var (metadata, spec) = Template(workload)!.Value;
        var @namespace = workload.Metadata?.NamespaceProperty ?? ns ?? "default";
        return new DoctorTarget(@namespace, AccountOf(spec), $"{workload.Kind} {@namespace}/{workload.Metadata?.Name} from {Path.GetFileName(path)}",
            null, workload, metadata ?? new V1ObjectMeta(), spec);
    }

    private static (V1ObjectMeta? Metadata, V1PodSpec Spec)? Template(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Pod p when p.Spec is not null => (p.Metadata, p.Spec),
        V1Deployment d when d.Spec?.Template?.Spec is not null => (d.Spec.Template.Metadata, d.Spec.Template.Spec),
        V1StatefulSet s when s.Spec?.Template?.Spec is not null => (s.Spec.Template.Metadata, s.Spec.Template.Spec),
        V1DaemonSet d when d.Spec?.Template?.Spec is not null => (d.Spec.Template.Metadata, d.Spec.Template.Spec),
        V1ReplicaSet r when r.Spec?.Template?.Spec is not null => (r.Spec.Template.Metadata, r.Spec.Template.Spec),
        V1Job j when j.Spec?.Template?.Spec is not null => (j.Spec.Template.Metadata, j.Spec.Template.Spec),
        V1CronJob c when c.Spec?.JobTemplate?.Spec?.Template?.Spec is not null => (c.Spec.JobTemplate.Spec.Template.Metadata, c.Spec.JobTemplate.Spec.Template.Spec),
        _ => null,
    };

    private static string AccountOf(V1PodSpec? spec) =>
        spec?.ServiceAccountName is { Length: > 0 } name ? name : WorkloadIdentityDefaults.DefaultServiceAccountName;
}
