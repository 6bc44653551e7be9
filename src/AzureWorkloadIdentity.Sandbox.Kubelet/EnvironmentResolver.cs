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
/// read through the API server, <c>optional</c> honoured (a missing optional source leaves the variable out); and
/// <c>envFrom</c> (every key of a config map or secret, with its <c>prefix</c>) before <c>env</c>, which wins.
/// </summary>
public static partial class EnvironmentResolver
{
    /// <param name="podIp">What <c>status.podIP</c> resolves to (the pod network's address).</param>
    public static async Task<IReadOnlyDictionary<string, ContainerEnvironment>> ResolveAsync(
        IKubernetes client, V1Pod pod, CancellationToken cancellationToken, string podIp = LocalPod.LoopbackIp)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pod);
        var sources = new Sources(client, pod.Metadata.NamespaceProperty ?? "default", podIp);
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
        foreach (var source in container.EnvFrom ?? [])
        {
            var (values, error) = await sources.AllKeysAsync(source, cancellationToken);
            if (error is not null)
            {
                return new ContainerEnvironment([], $"container \"{container.Name}\" envFrom: {error}");
            }

            variables.AddRange(values.Select(v => new KeyValuePair<string, string>((source.Prefix ?? string.Empty) + v.Key, v.Value)));
        }

        foreach (var entry in container.Env ?? [])
        {
            if (entry.ValueFrom is not { } from)
            {
                variables.Add(new(entry.Name, entry.Value ?? string.Empty));
                continue;
            }

            var (value, error) = from switch
            {
                { FieldRef: { } field } => Field(pod, field.FieldPath, sources.PodIp),
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

    /// <summary>A downward-API field of the pod, or why it cannot be given.</summary>
    internal static (string? Value, string? Error) Field(V1Pod pod, string path, string podIp)
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
            "status.podIP" => (podIp, null),
            "status.hostIP" => (LocalPod.LoopbackIp, null),
            _ => (null, $"fieldRef {path} is not supported; use metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.serviceAccountName, spec.nodeName, status.podIP or status.hostIP"),
        };
    }

    private static string? Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex MapField();

    /// <summary>The secrets and config maps of the pod's namespace, each read once.</summary>
    private sealed class Sources(IKubernetes client, string ns, string podIp)
    {
        public string PodIp => podIp;

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

        /// <summary>Every key of an <c>envFrom</c> source, in key order; a missing optional source gives none.</summary>
        public async Task<(IReadOnlyList<KeyValuePair<string, string>> Values, string? Error)> AllKeysAsync(V1EnvFromSource source, CancellationToken cancellationToken)
        {
            IEnumerable<KeyValuePair<string, string>>? values;
            (string Kind, string Name, bool? Optional) reference;
            if (source.ConfigMapRef is { } configMapRef)
            {
                reference = ("configmap", configMapRef.Name, configMapRef.Optional);
                if (!_configMaps.TryGetValue(configMapRef.Name, out var configMap))
                {
                    configMap = _configMaps[configMapRef.Name] = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(configMapRef.Name, ns, cancellationToken: cancellationToken));
                }

                values = configMap?.Data;
            }
            else if (source.SecretRef is { } secretRef)
            {
                reference = ("secret", secretRef.Name, secretRef.Optional);
                if (!_secrets.TryGetValue(secretRef.Name, out var secret))
                {
                    secret = _secrets[secretRef.Name] = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, ns, cancellationToken: cancellationToken));
                }

                values = secret?.Data?.Select(p => new KeyValuePair<string, string>(p.Key, Encoding.UTF8.GetString(p.Value)));
            }
            else
            {
                return ([], "an envFrom entry names neither configMapRef nor secretRef");
            }

            return values is not null ? ([.. values.OrderBy(v => v.Key, StringComparer.Ordinal)], null)
                : reference.Optional == true ? ([], null)
                : ([], $"{reference.Kind} \"{reference.Name}\" not found in namespace {ns}; create it or mark the reference optional");
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
