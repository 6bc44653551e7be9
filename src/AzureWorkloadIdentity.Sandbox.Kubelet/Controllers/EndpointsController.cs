using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The endpoints and endpoint-slice controllers, as kube-controller-manager runs them: for each Service with a
/// selector, the Endpoints of the same name list the selected pods that have an IP — ready ones in
/// <c>addresses</c>, the others in <c>notReadyAddresses</c> — with each Service port's target port (a named
/// <c>targetPort</c> resolved through the pod's container ports), and one EndpointSlice
/// (<c>discovery.k8s.io/v1</c>, label <c>kubernetes.io/service-name</c>) says the same with <c>conditions.ready</c>.
/// Services without a selector (the <c>kubernetes</c> Service) are left alone. Any pod or Service change in a
/// namespace reconciles that namespace's Services; unchanged results are not written.
/// </summary>
public sealed class EndpointsController : Controller
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reconciling = new(1, 1);

    private EndpointsController(IKubernetes client, ILogger logger)
        : base(client, logger)
    {
        Run("endpoints services", stopping => ReconcileEachAsync(
            Client.CoreV1.WatchListServiceForAllNamespacesAsync(cancellationToken: stopping), s => s.Metadata.NamespaceProperty, stopping));
        Run("endpoints pods", stopping => ReconcileEachAsync(
            Client.CoreV1.WatchListPodForAllNamespacesAsync(cancellationToken: stopping), p => p.Metadata.NamespaceProperty, stopping));
    }

    public static EndpointsController Start(KubernetesApiServer server, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new EndpointsController(server.CreateClient(), logger ?? NullLogger.Instance);
    }

    private async Task ReconcileEachAsync<T>(IAsyncEnumerable<(WatchEventType, T)> events, Func<T, string> namespaceOf, CancellationToken stopping)
    {
        await foreach (var (_, item) in events.WithCancellation(stopping))
        {
            await ReconcileAsync(namespaceOf(item), stopping);
        }
    }

    private async Task ReconcileAsync(string ns, CancellationToken stopping)
    {
        await _reconciling.WaitAsync(stopping);
        try
        {
            var services = await Client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: stopping);
            var selected = services.Items.Where(s => s.Spec?.Selector is { Count: > 0 }).ToList();
            await DeleteOrphansAsync(ns, [.. selected.Select(s => s.Metadata.Name)], stopping);
            if (selected.Count == 0)
            {
                return;
            }

            var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: stopping)).Items;
            foreach (var service in selected)
            {
                var members = pods.Where(p => !string.IsNullOrEmpty(p.Status?.PodIP) && p.Metadata.DeletionTimestamp is null
                    && service.Spec.Selector.All(l => p.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)).ToList();
                await WriteAsync(EndpointsFor(service, members), stopping);
                await WriteAsync(SliceFor(service, members), stopping);
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    /// <summary>Deletes the Endpoints this controller wrote for a Service that is gone (its slice goes with the Service).</summary>
    private async Task DeleteOrphansAsync(string ns, HashSet<string> services, CancellationToken stopping)
    {
        var prefix = $"Endpoints/{ns}/";
        foreach (var key in _written.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !services.Contains(k[prefix.Length..])).ToList())
        {
            try
            {
                await Client.CoreV1.DeleteNamespacedEndpointsAsync(key[prefix.Length..], ns, cancellationToken: stopping);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }

            _written.TryRemove(key, out _);
        }
    }

    private static V1Endpoints EndpointsFor(V1Service service, List<V1Pod> pods)
    {
        var subsets = pods
            .GroupBy(p => string.Join(',', Ports(service, p).Select(x => x.Port)))
            .Select(group => new V1EndpointSubset
            {
                Addresses = Addresses(group.Where(IsReady)),
                NotReadyAddresses = Addresses(group.Where(p => !IsReady(p))),
                Ports = [.. Ports(service, group.First()).Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
            })
            .ToList();
        return new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = service.Metadata.NamespaceProperty, Labels = service.Metadata.Labels },
            Subsets = subsets.Count == 0 ? null : subsets,
        };
    }

    private static V1EndpointSlice SliceFor(V1Service service, List<V1Pod> pods) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = service.Metadata.Name + "-sandbox",
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>())
            {
                [ServiceNameLabel] = service.Metadata.Name,
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
            OwnerReferences = [Owners.Controller("v1", "Service", service.Metadata)],
        },
        AddressType = "IPv4",
        Endpoints = [.. pods.Select(p => new V1Endpoint
        {
            Addresses = [p.Status.PodIP],
            Conditions = new V1EndpointConditions { Ready = IsReady(p), Serving = IsReady(p), Terminating = false },
            TargetRef = Reference(p),
        })],
        Ports = pods.Count == 0 ? null : [.. Ports(service, pods[0]).Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
    };

    private static List<V1EndpointAddress>? Addresses(IEnumerable<V1Pod> pods)
    {
        var addresses = pods.Select(p => new V1EndpointAddress { Ip = p.Status.PodIP, TargetRef = Reference(p) }).ToList();
        return addresses.Count == 0 ? null : addresses;
    }

    private static V1ObjectReference Reference(V1Pod pod) => new()
    {
        Kind = "Pod",
        Name = pod.Metadata.Name,
        NamespaceProperty = pod.Metadata.NamespaceProperty,
        Uid = pod.Metadata.Uid,
    };

    private static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Each Service port with its target port on this pod (a name looked up in the pod's container ports).</summary>
    private static IEnumerable<(string? Name, int Port, string Protocol)> Ports(V1Service service, V1Pod pod) =>
        (service.Spec.Ports ?? []).Select(port =>
        {
            var target = port.TargetPort?.Value;
            var number = target is null ? port.Port
                : int.TryParse(target, out var n) ? n
                : (pod.Spec.Containers ?? []).SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target)?.ContainerPort ?? port.Port;
            return ((string?)port.Name, number, port.Protocol ?? "TCP");
        });

    private async Task WriteAsync<T>(T item, CancellationToken stopping)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var json = KubernetesJson.Serialize(item);
        var key = $"{item.Kind}/{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";
        if (_written.TryGetValue(key, out var previous) && previous == json)
        {
            return;
        }

        try
        {
            await (item switch
            {
                V1Endpoints e => Client.CoreV1.ReplaceNamespacedEndpointsAsync(e, e.Metadata.Name, e.Metadata.NamespaceProperty, cancellationToken: stopping),
                V1EndpointSlice s => (Task)Client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(s, s.Metadata.Name, s.Metadata.NamespaceProperty, cancellationToken: stopping),
                _ => throw new InvalidOperationException(key),
            });
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await (item switch
            {
                V1Endpoints created => Client.CoreV1.CreateNamespacedEndpointsAsync(created, created.Metadata.NamespaceProperty, cancellationToken: stopping),
                V1EndpointSlice created => (Task)Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(created, created.Metadata.NamespaceProperty, cancellationToken: stopping),
                _ => throw new InvalidOperationException(key),
            });
        }

        _written[key] = json;
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _reconciling.Dispose();
        return ValueTask.CompletedTask;
    }
}
