using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>A pod the local kubelet has set up: its folder, its projected tokens and its mount translation.</summary>
public sealed class LocalPod
{
    public LocalPod(V1Pod pod, string directory, IReadOnlyDictionary<string, string> volumeDirectories, PodNetwork? network = null)
    {
        Pod = pod;
        Directory = directory;
        VolumeDirectories = volumeDirectories;
        Network = network;
    }

    /// <summary>The address of a pod without a network of its own (its containers share the machine's loopback).</summary>
    public const string LoopbackIp = "127.0.0.1";

    /// <summary>The pod's IP: its network's eth0 address, else the machine's loopback.</summary>
    public string PodIp => Network?.PodIp?.ToString() ?? LoopbackIp;

    /// <summary>The pod as stored by the API server (after admission).</summary>
    public V1Pod Pod { get; }

    /// <summary>The pod's folder on the local disk.</summary>
    public string Directory { get; }

    /// <summary>Volume name → local folder holding its files.</summary>
    public IReadOnlyDictionary<string, string> VolumeDirectories { get; }

    /// <summary>The pod's own network namespace, or <see langword="null"/> when its containers share the machine's network.</summary>
    public PodNetwork? Network { get; }

    /// <summary>The projected tokens currently written, by volume name and path.</summary>
    public IReadOnlyList<ProjectedToken> Tokens { get; internal set; } = [];

    /// <summary>Container name → its env with <c>valueFrom</c> resolved (see <see cref="EnvironmentResolver"/>).</summary>
    public IReadOnlyDictionary<string, ContainerEnvironment> Environments { get; internal set; } = new Dictionary<string, ContainerEnvironment>();

    /// <summary>
    /// The env the container starts with, in order; entries the kubelet has not resolved (a pod not set up by
    /// <see cref="LocalKubelet"/>) keep their plain values only.
    /// </summary>
    /// <exception cref="ContainerStartException">A reference cannot be resolved (<c>CreateContainerConfigError</c>).</exception>
    public IReadOnlyList<KeyValuePair<string, string>> Environment(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!Environments.TryGetValue(container.Name, out var resolved))
        {
            return [.. (container.Env ?? []).Where(e => e.ValueFrom is null).Select(e => new KeyValuePair<string, string>(e.Name, e.Value ?? string.Empty))];
        }

        return resolved.Error is null ? resolved.Variables : throw new ContainerStartException(container.Name, "CreateContainerConfigError", resolved.Error);
    }

    /// <summary>The container's <c>command</c> with <c>$(NAME)</c> references to its env expanded, as the kubelet starts it.</summary>
    public IList<string>? Command(V1Container container) => Expanded(container, container?.Command);

    /// <summary>The container's <c>args</c> with <c>$(NAME)</c> references to its env expanded, as the kubelet starts it.</summary>
    public IList<string>? Arguments(V1Container container) => Expanded(container, container?.Args);

    private List<string>? Expanded(V1Container? container, IList<string>? values)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (values is null)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Environment(container))
        {
            variables[name] = value;
        }

        return [.. values.Select(value => VariableExpansion.Expand(value, name => variables.GetValueOrDefault(name)))];
    }

    /// <summary>The named init container or container.</summary>
    public V1Container Container(string name) =>
        (Pod.Spec.InitContainers ?? []).Concat(Pod.Spec.Containers ?? []).FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"pod {Pod.Metadata.Name} has no container \"{name}\"", nameof(name));

    /// <summary>The UID the container runs as: its own <c>runAsUser</c>, else the pod's, else none (the image decides).</summary>
    public long? RunAsUser(V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.SecurityContext?.RunAsUser ?? Pod.Spec.SecurityContext?.RunAsUser;
    }

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
