using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Resolves the env of a pod's containers as the kubelet does when it starts them: <c>value</c> as is, and
/// <c>valueFrom</c> from the downward API (<c>fieldRef</c>: <c>metadata.name</c>, <c>metadata.namespace</c>,
/// <c>metadata.uid</c>, <c>metadata.labels['k']</c>, <c>metadata.annotations['k']</c>, <c>spec.serviceAccountName</c>,
/// <c>spec.nodeName</c>, <c>status.podIP</c>, <c>status.hostIP</c>), <c>secretKeyRef</c> and <c>configMapKeyRef</c>
/// read through the API server, <c>optional</c> honoured (a missing optional source leaves the variable out).
/// </summary>
public static partial class EnvironmentResolver
{
    public static async Task<IReadOnlyDictionary<string, ContainerEnvironment>> ResolveAsync(IKubernetes client, V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pod);
        var sources = new Sources(client, pod.Metadata.NamespaceProperty ?? "default");
        var resolved = new Dictionary<string, ContainerEnvironment>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            resolved[container.Name] = await ResolveAsync(sources, pod, container, cancellationToken);
        }

        return resolved;
    }

    private static async Task<ContainerEnvironment> ResolveAsync(Sources sources, V1Pod pod, V1Container container, CancellationToken cancellationToken)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var entry in container.Env ?? [])
        {
            if (entry.ValueFrom is not { } from)
            {
                variables.Add(new(entry.Name, entry.Value ?? string.Empty));
                continue;
            }

            var (value, error) = from switch
            {
                { FieldRef: { } field } => FieldOf(pod, field.FieldPath),
                { SecretKeyRef: { } secret } => await sources.SecretKeyAsync(secret, cancellationToken),
                { ConfigMapKeyRef: { } configMap } => await sources.ConfigMapKeyAsync(configMap, cancellationToken),
                _ => (null, "the sandbox kubelet resolves fieldRef, secretKeyRef and configMapKeyRef only"),
            };
            if (error is not null)
            {
                return new ContainerEnvironment([], $"container \"{container.Name}\" env {entry.Name}: {error}");
            }

            if (value is not null)
            {
                variables.Add(new(entry.Name, value));
            }
        }

        return new ContainerEnvironment(variables, null);
    }

    private static (string? Value, string? Error) FieldOf(V1Pod pod, string path)
    {
        if (MapField().Match(path) is { Success: true } keyed)
        {
            var map = keyed.Groups[1].Value == "labels" ? pod.Metadata.Labels : pod.Metadata.Annotations;
            return (Lookup(map, keyed.Groups[2].Value) ?? string.Empty, null);
        }

        return path switch
        {
            "metadata.name" => (pod.Metadata.Name, null),
            "metadata.namespace" => (pod.Metadata.NamespaceProperty ?? "default", null),
            "metadata.uid" => (pod.Metadata.Uid ?? string.Empty, null),
            "spec.serviceAccountName" => (string.IsNullOrEmpty(pod.Spec.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName, null),
            "spec.nodeName" => (pod.Spec.NodeName ?? string.Empty, null),
            "status.podIP" or "status.hostIP" => (PodStatusBuilder.PodIp, null),
            _ => (null, $"fieldRef {path} is not supported; use metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.serviceAccountName, spec.nodeName, status.podIP or status.hostIP"),
        };
    }

    private static string? Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex MapField();

    /// <summary>The secrets and config maps of the pod's namespace, each read once.</summary>
    private sealed class Sources(IKubernetes client, string ns)
    {
        private readonly Dictionary<string, V1Secret?> _secrets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, V1ConfigMap?> _configMaps = new(StringComparer.Ordinal);

        public async Task<(string? Value, string? Error)> SecretKeyAsync(V1SecretKeySelector selector, CancellationToken cancellationToken)
        {
            if (!_secrets.TryGetValue(selector.Name, out var secret))
            {
                secret = _secrets[selector.Name] = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(selector.Name, ns, cancellationToken: cancellationToken));
            }

            var value = secret?.Data?.TryGetValue(selector.Key, out var bytes) == true ? Encoding.UTF8.GetString(bytes)
                : Lookup(secret?.StringData, selector.Key);
            return Outcome(value, secret is null, selector.Optional, "secret", selector.Name, selector.Key);
        }

        public async Task<(string? Value, string? Error)> ConfigMapKeyAsync(V1ConfigMapKeySelector selector, CancellationToken cancellationToken)
        {
            if (!_configMaps.TryGetValue(selector.Name, out var configMap))
            {
                configMap = _configMaps[selector.Name] = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(selector.Name, ns, cancellationToken: cancellationToken));
            }

            var value = Lookup(configMap?.Data, selector.Key)
                ?? (configMap?.BinaryData?.TryGetValue(selector.Key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null);
            return Outcome(value, configMap is null, selector.Optional, "configmap", selector.Name, selector.Key);
        }

        private (string? Value, string? Error) Outcome(string? value, bool missing, bool? optional, string kind, string name, string key) =>
            value is not null || optional == true ? (value, null)
            : missing ? (null, $"{kind} \"{name}\" not found in namespace {ns}; create it or mark the reference optional")
            : (null, $"couldn't find key {key} in {kind} {ns}/{name}; add the key or mark the reference optional");

        private static async Task<T?> ReadAsync<T>(Func<Task<T>> read)
            where T : class
        {
            try
            {
                return await read();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }
    }
}
