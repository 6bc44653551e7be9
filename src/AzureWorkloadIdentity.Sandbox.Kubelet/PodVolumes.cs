using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The pod's volumes other than projected tokens, as host folders a container gets bind-mounted at its real
/// <c>mountPath</c>: <c>emptyDir</c> (empty, writable by every user as in Kubernetes), <c>secret</c> and
/// <c>configMap</c> (their keys as files, read from the API server once when the pod starts, <c>items</c> and
/// <c>defaultMode</c> honoured). Other volume types are not made; a container mounting one is refused at start.
/// </summary>
internal static class PodVolumes
{
    private const int DefaultFileMode = 420; // 0644, as in Kubernetes.

    /// <summary>Writes the volumes of <paramref name="pod"/> under <paramref name="volumesDirectory"/> and returns name → folder.</summary>
    /// <param name="sourcesOnly">Only the secret and config-map volumes (a resync while the pod runs).</param>
    public static async Task<IReadOnlyDictionary<string, string>> WriteAsync(
        IKubernetes client, V1Pod pod, string volumesDirectory, CancellationToken cancellationToken, bool sourcesOnly = false)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            var folder = Path.Combine(volumesDirectory, volume.Name);
            if (volume.EmptyDir is not null && !sourcesOnly)
            {
                System.IO.Directory.CreateDirectory(folder);
                SetMode(folder, 0b111_111_111);
            }
            else if (volume.Secret is { } secret)
            {
                var stored = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(secret.SecretName, ns, cancellationToken: cancellationToken), secret.Optional, $"secret {secret.SecretName}");
                Write(folder, stored?.Data ?? new Dictionary<string, byte[]>(), secret.Items, secret.DefaultMode);
            }
            else if (volume.ConfigMap is { } configMap)
            {
                var stored = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(configMap.Name, ns, cancellationToken: cancellationToken), configMap.Optional, $"configmap {configMap.Name}");
                var data = (stored?.Data ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => System.Text.Encoding.UTF8.GetBytes(p.Value));
                foreach (var (key, value) in stored?.BinaryData ?? new Dictionary<string, byte[]>())
                {
                    data[key] = value;
                }

                Write(folder, data, configMap.Items, configMap.DefaultMode);
            }
            else
            {
                continue;
            }

            folders[volume.Name] = folder;
        }

        return folders;
    }

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read, bool? optional, string what)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // As the kubelet does: a missing optional source is an empty volume; a required one keeps the pod from starting.
            return optional == true ? null : throw new ContainerStartException(string.Empty, "CreateContainerConfigError", $"{what} not found; create it before the pod");
        }
    }

    private static void Write(string folder, IDictionary<string, byte[]> data, IList<V1KeyToPath>? items, int? defaultMode)
    {
        System.IO.Directory.CreateDirectory(folder);
        var files = items is { Count: > 0 }
            ? items.Where(i => data.ContainsKey(i.Key)).Select(i => (Path: i.Path, Content: data[i.Key], Mode: i.Mode ?? defaultMode))
            : data.Select(p => (Path: p.Key, Content: p.Value, Mode: defaultMode));
        foreach (var (path, content, mode) in files)
        {
            var file = Path.Combine(folder, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, content);
            SetMode(file, mode ?? DefaultFileMode);
        }
    }

    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }
}
