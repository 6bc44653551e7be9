using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// The mutation as a pure function: the pod as received, its service account and the options in; RFC 6902
/// operations (or a denial) out. The pod is read in place; values that depend only on the service account, the
/// options or the proxy port are serialised once and reused.
/// </summary>
public sealed class PodMutator
{
    private const int MaxCachedKeys = 64;
    private static readonly string[] MissingLabelWarnings = [OptInRule.MissingPodLabelWarning];

    private readonly ConditionalWeakTable<ServiceAccountIdentity, IdentityEnvironment> environments = [];
    private readonly BoundedCache<long, ReadOnlyMemory<byte>> volumes = new(MaxCachedKeys);
    private readonly BoundedCache<int, ProxyContainers> proxies = new(MaxCachedKeys);

    public PodMutator(MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    public MutationOptions Options { get; }

    /// <summary>Mutates <paramref name="pod"/>, the <c>request.object</c> of an admission (any JSON; not an object is no pod).</summary>
    public MutationResult Mutate(JsonElement pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(serviceAccount);
        var (optedIn, podLabelMissing) = OptInRule.Evaluate(pod, serviceAccount);
        if (!optedIn)
        {
            // Cheap presence check first: only a pod the webhook mutated before carries the record.
            return InjectionRecord.IsPresent(pod) && HoldsInjectedIdentity(pod, InjectionRecord.Read(pod))
                ? MutationResult.Deny(MutationReasons.IdentityWithoutOptIn, IdentityWithoutOptInMessage(serviceAccount), [])
                : MutationResult.NotOptedIn;
        }

        IReadOnlyList<string> warnings = podLabelMissing ? MissingLabelWarnings : [];
        if (PodShapeRule.Validate(pod) is { } shapeError)
        {
            return MutationResult.Deny(MutationReasons.InvalidPod, shapeError, warnings);
        }

        if (!TokenExpirationRule.TryResolve(pod, serviceAccount, out var expiration, out var expirationError))
        {
            return MutationResult.Deny(MutationReasons.InvalidTokenExpiration, expirationError!, warnings);
        }

        if (!ProxySidecarRule.TryResolve(pod, out var proxyPort, out var proxyReason, out var proxyError))
        {
            return MutationResult.Deny(proxyReason!, proxyError!, warnings);
        }

        if (!TokenVolumeRule.TryCheck(pod, out var volumePresent, out var volumeError))
        {
            return MutationResult.Deny(MutationReasons.ConflictingVolume, volumeError!, warnings);
        }

        var environment = environments.GetValue(serviceAccount, account => IdentityEnvironment.Create(account, Options));
        var record = InjectionRecord.IsPresent(pod) ? InjectionRecord.Read(pod) : InjectionRecord.None;
        var skip = SkipContainersRule.Parse(pod);
        var spec = PodJson.Object(pod, "spec");
        var proxy = proxyPort is { } port ? proxies.GetOrCreate(port, static (port, options) => ProxyContainers.Create(options, port), Options) : null;
        var builder = new PatchBuilder();

        // Init container appended to the init containers; the sidecar first in the init containers (native) or
        // in the containers. Either is left out when a container of its name exists in either list.
        var initContainer = Missing(spec, proxy?.InitContainer);
        var sidecar = Missing(spec, proxy?.Sidecar);
        var native = Options.NativeSidecar;
        InjectContainers(spec, ContainerList.InitContainers, environment, record, skip, builder, native ? sidecar : null, initContainer);
        InjectContainers(spec, ContainerList.Containers, environment, record, skip, builder, native ? null : sidecar, null);

        if (!volumePresent)
        {
            builder.Append(ArrayPath.Volumes, PodJson.Array(spec, "volumes").ValueKind == JsonValueKind.Array, VolumeFor(expiration));
        }
        else if (!record.IsNone && TokenVolumeRule.ExpirationToCorrect(pod, record, expiration) is { } expirationPath)
        {
            builder.Replace(expirationPath, PatchValue.From(JsonValue.Create(expiration)));
        }

        // The record is written whenever the webhook changes the pod, and corrected when a reinvocation injects
        // other values; a pod whose user set everything gets none (nothing on it is the webhook's).
        if (builder.Operations.Count > 0 || !record.IsNone)
        {
            RecordRule.Apply(pod, environment.RecordFor(expiration), builder);
        }

        return MutationResult.Patched(builder.Operations, warnings);
    }

    /// <summary>Whether a pod that no longer opts in still holds a value the record says the webhook injected.</summary>
    private static bool HoldsInjectedIdentity(JsonElement pod, InjectionRecord record)
    {
        if (record.IsNone)
        {
            return false;
        }

        var spec = PodJson.Object(pod, "spec");
        foreach (var field in (ReadOnlySpan<string>)[ContainerList.InitContainers.Field, ContainerList.Containers.Field])
        {
            var containers = PodJson.Array(spec, field);
            if (containers.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var container in containers.EnumerateArray())
            {
                if (EnvironmentRule.HoldsRecordedValue(container, record))
                {
                    return true;
                }
            }
        }

        return TokenVolumeRule.HoldsRecordedVolume(pod, record);
    }

    private static string IdentityWithoutOptInMessage(ServiceAccountIdentity serviceAccount) =>
        $"the pod carries an Azure workload identity the webhook injected earlier (annotation '{WorkloadIdentityAnnotations.Injected}'), "
        + $"but it no longer opts in with service account {serviceAccount.Namespace}/{serviceAccount.Name}; another mutating webhook probably "
        + $"changed it. Give it the label '{WorkloadIdentityLabels.Use}: \"true\"' or a service account that opts in, or create it without "
        + "the injected AZURE_CLIENT_ID/AZURE_TENANT_ID and token volume";

    private static InjectedContainer? Missing(JsonElement spec, InjectedContainer? container) =>
        container is null
        || PodJson.ContainsNamed(PodJson.Array(spec, ContainerList.InitContainers.Field), container.Name)
        || PodJson.ContainsNamed(PodJson.Array(spec, ContainerList.Containers.Field), container.Name)
            ? null
            : container;

    private static void InjectContainers(
        JsonElement spec, ContainerList list, IdentityEnvironment environment, InjectionRecord record, IReadOnlySet<string> skip,
        PatchBuilder builder, InjectedContainer? first, InjectedContainer? last)
    {
        var containers = PodJson.Array(spec, list.Field);
        var exists = containers.ValueKind == JsonValueKind.Array;
        if (exists)
        {
            var index = 0;
            foreach (var container in containers.EnumerateArray())
            {
                // The name is only read (as a string) when the pod names containers to skip.
                if (skip.Count == 0 || !skip.Contains(PodJson.String(container, "name") ?? ""))
                {
                    var paths = list.Item(index);
                    EnvironmentRule.Apply(container, paths, environment, record, builder);
                    TokenMountRule.Apply(container, paths, builder);
                }

                index++;
            }
        }

        var firstValue = first is null ? (ReadOnlyMemory<byte>?)null : Serialise(first, environment, skip);
        var lastValue = last is null ? (ReadOnlyMemory<byte>?)null : Serialise(last, environment, skip);
        if (!exists && firstValue is { } f && lastValue is { } l)
        {
            builder.AppendAll(list.Path, false, [f, l]);
            return;
        }

        if (lastValue is { } appended)
        {
            builder.Append(list.Path, exists, appended);
        }

        if (firstValue is { } prepended)
        {
            // After every operation that addresses the existing containers by index, which the insert shifts.
            if (exists)
            {
                builder.Add(list.Path.PrependPath, prepended);
            }
            else
            {
                builder.Append(list.Path, false, prepended);
            }
        }
    }

    private static ReadOnlyMemory<byte> Serialise(InjectedContainer container, IdentityEnvironment environment, IReadOnlySet<string> skip) =>
        skip.Contains(container.Name) ? container.Plain : container.WithIdentity(environment);

    private ReadOnlyMemory<byte> VolumeFor(long expiration) =>
        volumes.GetOrCreate(expiration, static (seconds, audience) => PatchValue.From(TokenVolumeRule.Create(seconds, audience)), Options.Audience);
}
