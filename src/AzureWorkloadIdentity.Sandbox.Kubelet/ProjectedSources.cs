using System.Text;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The non-token sources of a pod's projected volumes, written beside the tokens when the pod starts: <c>configMap</c>
/// (its keys or <c>items</c>; <c>kube-root-ca.crt</c>'s <c>ca.crt</c> for the service-account volume) and
/// <c>downwardAPI</c> <c>fieldRef</c> items (e.g. <c>namespace</c>), with the volume's <c>defaultMode</c>.
/// </summary>
internal static class ProjectedSources
{
    private const int DefaultFileMode = 420;

    public static async Task WriteAsync(IKubernetes client, LocalPod pod, CancellationToken cancellationToken)
    {
        var ns = pod.Pod.Metadata.NamespaceProperty ?? "default";
        foreach (var volume in pod.Pod.Spec?.Volumes ?? [])
        {
            if (volume.Projected?.Sources is not { } sources || !pod.VolumeDirectories.TryGetValue(volume.Name, out var folder))
            {
                continue;
            }

            Directory.CreateDirectory(folder);
            var mode = volume.Projected.DefaultMode ?? DefaultFileMode;
            foreach (var source in sources)
            {
                if (source.ConfigMap is { } configMap)
                {
                    V1ConfigMap? stored = null;
                    try
                    {
                        stored = await client.CoreV1.ReadNamespacedConfigMapAsync(configMap.Name, ns, cancellationToken: cancellationToken);
                    }
                    catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound && configMap.Optional == true)
                    {
                    }
                    catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                    {
                        throw new ContainerStartException(string.Empty, "CreateContainerConfigError", $"configmap {configMap.Name} not found; create it before the pod");
                    }

                    var data = stored?.Data ?? new Dictionary<string, string>();
                    var files = configMap.Items is { Count: > 0 } items
                        ? items.Where(i => data.ContainsKey(i.Key)).Select(i => (i.Path, data[i.Key], i.Mode))
                        : data.Select(p => (p.Key, p.Value, (int?)null));
                    foreach (var (path, content, itemMode) in files)
                    {
                        Write(folder, path, content, itemMode ?? mode);
                    }
                }

                foreach (var item in source.DownwardAPI?.Items ?? [])
                {
                    if (item.FieldRef is { } field)
                    {
                        var (value, error) = EnvironmentResolver.Field(pod.Pod, field.FieldPath, pod.PodIp);
                        Write(folder, item.Path, value ?? throw new ContainerStartException(string.Empty, "CreateContainerConfigError", error ?? field.FieldPath), item.Mode ?? mode);
                    }
                }
            }
        }
    }

    private static void Write(string folder, string path, string content, int mode)
    {
        var file = Path.Combine(folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, (UnixFileMode)mode);
        }
    }
}
