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
/// read through the API server, <c>optional</c> honoured (a missing optional source leaves the variable out);
/// <c>envFrom</c> (<c>configMapRef</c>, <c>secretRef</c>, <c>prefix</c>) and <c>$(NAME)</c> references in values
/// (<see cref="VariableExpansion"/>).
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
        // As the kubelet builds it: every envFrom source in order (a later source wins a key), then env in order (an
        // env entry wins over envFrom); a value's $(NAME) references see what is defined before it.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!variables.ContainsKey(name))
            {
                order.Add(name);
            }

            variables[name] = value;
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            var (entries, error) = source switch
            {
                { ConfigMapRef: { } configMap } => await sources.ConfigMapAsync(configMap.Name, configMap.Optional, cancellationToken),
                { SecretRef: { } secret } => await sources.SecretAsync(secret.Name, secret.Optional, cancellationToken),
                _ => (null, "envFrom needs configMapRef or secretRef"),
            };
            if (error is not null)
            {
                return new ContainerEnvironment([], $"container \"{container.Name}\" envFrom: {error}");
            }

            foreach (var (key, value) in entries ?? [])
            {
                // The kubelet skips keys that are not valid variable names (and records an event); so does this.
                var name = source.Prefix + key;
                if (EnvironmentName().IsMatch(name))
                {
                    Set(name, value);
                }
            }
        }

        foreach (var entry in container.Env ?? [])
        {
            if (entry.ValueFrom is not { } from)
            {
                Set(entry.Name, VariableExpansion.Expand(entry.Value ?? string.Empty, name => variables.GetValueOrDefault(name)));
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
                Set(entry.Name, value);
            }
        }

        return new ContainerEnvironment([.. order.Select(name => new KeyValuePair<string, string>(name, variables[name]))], null);
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

    // What Kubernetes accepts as an environment variable name (C identifiers, plus '-' and '.').
    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvironmentName();

    /// <summary>The secrets and config maps of the pod's namespace, each read once.</summary>
    private sealed class Sources(IKubernetes client, string ns, string podIp)
    {
        public string PodIp => podIp;

        private readonly Dictionary<string, V1Secret?> _secrets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, V1ConfigMap?> _configMaps = new(StringComparer.Ordinal);

        public async Task<(string? Value, string? Error)> SecretKeyAsync(V1SecretKeySelector selector, CancellationToken cancellationToken)
        {
            var secret = await SecretAsync(selector.Name, cancellationToken);
            var value = secret?.Data?.TryGetValue(selector.Key, out var bytes) == true ? Encoding.UTF8.GetString(bytes)
                : Lookup(secret?.StringData, selector.Key);
            return Outcome(value, secret is null, selector.Optional, "secret", selector.Name, selector.Key);
        }

        public async Task<(string? Value, string? Error)> ConfigMapKeyAsync(V1ConfigMapKeySelector selector, CancellationToken cancellationToken)
        {
            var configMap = await ConfigMapAsync(selector.Name, cancellationToken);
            var value = Lookup(configMap?.Data, selector.Key)
                ?? (configMap?.BinaryData?.TryGetValue(selector.Key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null);
            return Outcome(value, configMap is null, selector.Optional, "configmap", selector.Name, selector.Key);
        }

        /// <summary>Every key of a secret (envFrom <c>secretRef</c>); a missing optional secret adds nothing.</summary>
        public async Task<(IEnumerable<KeyValuePair<string, string>>? Entries, string? Error)> SecretAsync(string name, bool? optional, CancellationToken cancellationToken)
        {
            var secret = await SecretAsync(name, cancellationToken);
            return secret is null ? Whole(optional, "secret", name)
                : ([.. (secret.Data ?? new Dictionary<string, byte[]>()).Select(e => new KeyValuePair<string, string>(e.Key, Encoding.UTF8.GetString(e.Value)))
                    .Concat(secret.StringData ?? new Dictionary<string, string>())], null);
        }

        /// <summary>Every key of a config map (envFrom <c>configMapRef</c>); a missing optional one adds nothing.</summary>
        public async Task<(IEnumerable<KeyValuePair<string, string>>? Entries, string? Error)> ConfigMapAsync(string name, bool? optional, CancellationToken cancellationToken)
        {
            var configMap = await ConfigMapAsync(name, cancellationToken);
            return configMap is null ? Whole(optional, "configmap", name) : (configMap.Data ?? new Dictionary<string, string>(), null);
        }

        private async Task<V1Secret?> SecretAsync(string name, CancellationToken cancellationToken)
        {
            if (!_secrets.TryGetValue(name, out var secret))
            {
                secret = _secrets[name] = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));
            }

            return secret;
        }

        private async Task<V1ConfigMap?> ConfigMapAsync(string name, CancellationToken cancellationToken)
        {
            if (!_configMaps.TryGetValue(name, out var configMap))
            {
                configMap = _configMaps[name] = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken));
            }

            return configMap;
        }

        private (IEnumerable<KeyValuePair<string, string>>? Entries, string? Error) Whole(bool? optional, string kind, string name) =>
            optional == true ? ([], null) : (null, $"{kind} \"{name}\" not found in namespace {ns}; create it or mark the reference optional");

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
