using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A stand-in for the kubelet, without containers: for each pod it writes the projected service-account-token
/// volumes into a local folder (requesting the tokens through the API server's TokenRequest API, as the real kubelet
/// does, with the volume's audience and expiration), keeps them fresh at 80 % of their lifetime, and runs a
/// container's command as a local process (see <see cref="LocalContainerRunner"/>).
/// </summary>
public sealed partial class LocalKubelet : IAsyncDisposable
{
    private const int DefaultFileMode = 420; // 0644, the projected volume's default, as in Kubernetes.

    private readonly IKubernetes _client;
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<LocalPod, (CancellationTokenSource Stopping, Task Loop)> _pods = [];
    private readonly List<PodNetwork> _networks = [];
    private readonly Lock _gate = new();

    public LocalKubelet(IKubernetes client, string rootDirectory, TimeProvider? time = null, ILogger<LocalKubelet>? logger = null)
    {
        _client = client;
        _root = rootDirectory;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LocalKubelet>.Instance;
    }

    /// <summary>Sets a pod up: writes its projected tokens and starts refreshing them.</summary>
    public Task<LocalPod> StartPodAsync(V1Pod pod, CancellationToken cancellationToken) =>
        StartPodAsync(pod, networkPorts: null, cancellationToken);

    /// <summary>
    /// Sets a pod up; with <paramref name="networkPorts"/>, the pod gets its own network namespace (see
    /// <see cref="PodNetwork"/>) from which those ports of the machine's loopback — the sandbox's services — are
    /// reachable at the same addresses. The kubelet deletes the namespace when it is disposed.
    /// </summary>
    public async Task<LocalPod> StartPodAsync(V1Pod pod, IReadOnlyCollection<int>? networkPorts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var name = pod.Metadata?.Name ?? throw new ArgumentException("the pod has no name", nameof(pod));
        var podDirectory = Path.Combine(_root, ns, name);
        var volumes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (volume.Projected is not null)
            {
                volumes[volume.Name] = Path.Combine(podDirectory, "volumes", volume.Name);
            }
        }

        foreach (var (volume, folder) in await PodVolumes.WriteAsync(_client, pod, Path.Combine(podDirectory, "volumes"), cancellationToken))
        {
            volumes[volume] = folder;
        }

        PodNetwork? network = null;
        if (networkPorts is not null)
        {
            ServiceRelay[] services = ApiServerPort is { } apiPort
                ? [new ServiceRelay(ClusterServices.KubernetesServiceIp, ClusterServices.KubernetesServicePort, apiPort)]
                : [];
            network = await PodNetwork.CreateAsync("azwi-" + Guid.NewGuid().ToString("N")[..8], networkPorts, _logger, cancellationToken, services);
            lock (_gate)
            {
                _networks.Add(network);
            }
        }

        var environments = await EnvironmentResolver.ResolveAsync(_client, pod, cancellationToken, network?.PodIp?.ToString() ?? LocalPod.LoopbackIp);
        var local = new LocalPod(pod, podDirectory, volumes, network)
        {
            Environments = network is not null && ApiServerPort is not null ? WithServiceVariables(environments) : environments,
        };
        await ProjectedSources.WriteAsync(_client, local, cancellationToken);
        local.Tokens = await WriteTokensAsync(local, cancellationToken);
        if (local.Tokens.Count > 0)
        {
            var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            lock (_gate)
            {
                _pods[local] = (stopping, RefreshLoopAsync(local, stopping.Token));
            }
        }

        return local;
    }

    /// <summary>
    /// The API server's port on the machine's loopback. When set, a pod with a network of its own reaches it as the
    /// <c>kubernetes</c> Service (<c>10.96.0.1:443</c>, relayed in the pod), and every container gets
    /// <c>KUBERNETES_SERVICE_HOST</c>/<c>KUBERNETES_SERVICE_PORT</c> as a kubelet sets them, so in-cluster
    /// configuration works unchanged.
    /// </summary>
    public int? ApiServerPort { get; init; }

    /// <summary>Stops refreshing the pod's tokens and deletes its network (the pod was deleted).</summary>
    public async Task StopPodAsync(LocalPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        (CancellationTokenSource Stopping, Task Loop) refresh = default;
        bool refreshing;
        lock (_gate)
        {
            refreshing = _pods.Remove(pod, out refresh);
            if (pod.Network is { } owned)
            {
                _networks.Remove(owned);
            }
        }

        if (refreshing)
        {
            await refresh.Stopping.CancelAsync();
            await refresh.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            refresh.Stopping.Dispose();
        }

        if (pod.Network is { } network)
        {
            await network.DisposeAsync();
        }
    }

    private static Dictionary<string, ContainerEnvironment> WithServiceVariables(IReadOnlyDictionary<string, ContainerEnvironment> environments)
    {
        var host = ClusterServices.KubernetesServiceIp.ToString();
        var port = ClusterServices.KubernetesServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        KeyValuePair<string, string>[] service =
        [
            new("KUBERNETES_SERVICE_HOST", host),
            new("KUBERNETES_SERVICE_PORT", port),
            new("KUBERNETES_SERVICE_PORT_HTTPS", port),
            new("KUBERNETES_PORT", $"tcp://{host}:{port}"),
            new("KUBERNETES_PORT_443_TCP", $"tcp://{host}:{port}"),
            new("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
            new("KUBERNETES_PORT_443_TCP_PORT", port),
            new("KUBERNETES_PORT_443_TCP_ADDR", host),
        ];
        return environments.ToDictionary(
            e => e.Key,
            e => e.Value.Error is null ? e.Value with { Variables = [.. service, .. e.Value.Variables] } : e.Value,
            StringComparer.Ordinal);
    }

    /// <summary>Refreshes the pod's tokens now, as the refresh loop does at 80 % of their lifetime.</summary>
    public async Task RefreshPodAsync(LocalPod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.Tokens = await WriteTokensAsync(pod, cancellationToken);
    }

    /// <summary>Requests and writes every projected service-account token of the pod once.</summary>
    public async Task<IReadOnlyList<ProjectedToken>> WriteTokensAsync(LocalPod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var written = new List<ProjectedToken>();
        foreach (var volume in pod.Pod.Spec?.Volumes ?? [])
        {
            if (volume.Projected?.Sources is null || !pod.VolumeDirectories.TryGetValue(volume.Name, out var directory))
            {
                continue;
            }

            System.IO.Directory.CreateDirectory(directory);
            foreach (var source in volume.Projected.Sources)
            {
                if (source.ServiceAccountToken is { } projection)
                {
                    var mode = volume.Projected.DefaultMode ?? DefaultFileMode;
                    written.Add(await WriteTokenAsync(pod.Pod, volume.Name, directory, projection, mode, cancellationToken));
                }
            }
        }

        return written;
    }

    private async Task<ProjectedToken> WriteTokenAsync(
        V1Pod pod, string volumeName, string directory, V1ServiceAccountTokenProjection projection, int mode, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var serviceAccount = string.IsNullOrEmpty(pod.Spec.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName;
        var expiration = projection.ExpirationSeconds ?? 3600;
        var request = new Authenticationv1TokenRequest
        {
            ApiVersion = "authentication.k8s.io/v1",
            Kind = "TokenRequest",
            Spec = new V1TokenRequestSpec
            {
                Audiences = string.IsNullOrEmpty(projection.Audience) ? [] : [projection.Audience],
                ExpirationSeconds = expiration,
                BoundObjectRef = new V1BoundObjectReference
                {
                    ApiVersion = "v1",
                    Kind = "Pod",
                    Name = pod.Metadata.Name,
                    Uid = pod.Metadata.Uid,
                },
            },
        };

        var issuedAt = _time.GetUtcNow();
        var response = await _client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            request, serviceAccount, ns, cancellationToken: cancellationToken);
        var token = response.Status?.Token
            ?? throw new InvalidOperationException($"the TokenRequest for {ns}/{serviceAccount} returned no token");
        var expiresAt = response.Status.ExpirationTimestamp is { } e
            ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc))
            : issuedAt.AddSeconds(expiration);

        var path = Path.Combine(directory, projection.Path);
        AtomicWrite(path, token, (UnixFileMode)mode);
        LogTokenWritten(_logger, ns, pod.Metadata.Name, volumeName, projection.Path, expiresAt);
        return new ProjectedToken(volumeName, path, projection.Audience, expiration, issuedAt, expiresAt);
    }

    private async Task RefreshLoopAsync(LocalPod pod, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var next = pod.Tokens.Min(t => t.RefreshAt);
            var wait = next - _time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stopping);
                }

                pod.Tokens = await WriteTokensAsync(pod, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
            {
                // The real kubelet keeps the old token and retries; so do we, a little later.
                LogRefreshFailed(_logger, pod.Pod.Metadata.Name, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a token.</summary>
    private static void AtomicWrite(string path, string content, UnixFileMode mode)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, mode);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] loops;
        PodNetwork[] networks;
        lock (_gate)
        {
            loops = [.. _pods.Values.Select(p => p.Loop)];
            networks = [.. _networks];
        }

        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var network in networks)
        {
            await network.DisposeAsync();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(1, LogLevel.Debug, "kubelet: wrote projected token {Namespace}/{Pod} volume {Volume} path {Path}, expires {ExpiresAt:o}")]
    private static partial void LogTokenWritten(ILogger logger, string @namespace, string pod, string volume, string path, DateTimeOffset expiresAt);

    [LoggerMessage(2, LogLevel.Warning, "kubelet: refreshing the projected tokens of pod {Pod} failed, keeping the old ones: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string pod, string reason);
}
