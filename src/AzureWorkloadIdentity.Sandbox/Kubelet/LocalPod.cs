using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>A pod the local kubelet has set up: its folder, its projected tokens and its mount translation.</summary>
public sealed class LocalPod
{
    public LocalPod(V1Pod pod, string directory, IReadOnlyDictionary<string, string> volumeDirectories)
    {
        Pod = pod;
        Directory = directory;
        VolumeDirectories = volumeDirectories;
    }

    /// <summary>The pod as stored by the API server (after admission).</summary>
    public V1Pod Pod { get; }

    /// <summary>The pod's folder on the local disk.</summary>
    public string Directory { get; }

    /// <summary>Volume name → local folder holding its files.</summary>
    public IReadOnlyDictionary<string, string> VolumeDirectories { get; }

    /// <summary>The projected tokens currently written, by volume name and path.</summary>
    public IReadOnlyList<ProjectedToken> Tokens { get; internal set; } = [];

    /// <summary>
    /// Translates a path inside the container to the local disk, through the container's volume mounts;
    /// a path under no mount is returned unchanged.
    /// </summary>
    public string TranslatePath(V1Container container, string path)
    {
        ArgumentNullException.ThrowIfNull(container);
        foreach (var mount in (container.VolumeMounts ?? []).OrderByDescending(m => m.MountPath.Length))
        {
            if (!VolumeDirectories.TryGetValue(mount.Name, out var local))
            {
                continue;
            }

            var mountPath = mount.MountPath.TrimEnd('/');
            if (path == mountPath)
            {
                return local;
            }

            if (path.StartsWith(mountPath + "/", StringComparison.Ordinal))
            {
                return Path.Combine(local, path[(mountPath.Length + 1)..]);
            }
        }

        return path;
    }
}
