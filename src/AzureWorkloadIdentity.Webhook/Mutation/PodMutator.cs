using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// The mutation as a pure function: the pod as received, its service account and the options in; RFC 6902
/// operations (or a denial) out. Values that depend only on the service account or the options are serialised
/// once and reused.
/// </summary>
public sealed class PodMutator
{
    private const int MaxCachedVolumes = 64;
    private static readonly string[] MissingLabelWarnings = [OptInRule.MissingPodLabelWarning];

    private readonly ConditionalWeakTable<ServiceAccountIdentity, IdentityEnvironment> environments = [];
    private readonly ConcurrentDictionary<long, ReadOnlyMemory<byte>> volumes = new();

    public PodMutator(MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    public MutationOptions Options { get; }

    public MutationResult Mutate(JsonObject pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        var (optedIn, podLabelMissing) = OptInRule.Evaluate(pod, serviceAccount);
        if (!optedIn)
        {
            return MutationResult.NotOptedIn;
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
        var skip = SkipContainersRule.Parse(pod);
        var spec = (JsonObject)pod["spec"]!;
        var builder = new PatchBuilder();

        InjectContainers(spec, "initContainers", environment, skip, builder, proxyPort is { } initPort
            ? ProxySidecarRule.CreateInitContainer(Options, initPort)
            : null);
        InjectContainers(spec, "containers", environment, skip, builder, proxyPort is { } sidecarPort
            ? ProxySidecarRule.CreateSidecar(Options, sidecarPort)
            : null);

        if (!volumePresent)
        {
            builder.Append("/spec/volumes", spec["volumes"] is JsonArray, VolumeFor(expiration));
        }

        return MutationResult.Patched(builder.Operations, warnings);
    }

    private static void InjectContainers(
        JsonObject spec, string field, IdentityEnvironment environment, IReadOnlySet<string> skip, PatchBuilder builder, JsonObject? proxyContainer)
    {
        var containers = spec[field] as JsonArray;
        var arrayPath = "/spec/" + field;
        if (containers is not null)
        {
            for (var i = 0; i < containers.Count; i++)
            {
                var container = (JsonObject)containers[i]!;
                if (skip.Contains(PodJson.String(container, "name") ?? ""))
                {
                    continue;
                }

                var containerPath = JsonPointer.Append(arrayPath, i);
                EnvironmentRule.Apply(container, containerPath, environment, builder);
                TokenMountRule.Apply(container, containerPath, builder);
            }
        }

        if (proxyContainer is null || PodJson.ContainsNamed(containers, PodJson.String(proxyContainer, "name")!))
        {
            return;
        }

        if (!skip.Contains(PodJson.String(proxyContainer, "name")!))
        {
            EnvironmentRule.ApplyTo(proxyContainer, environment);
            TokenMountRule.ApplyTo(proxyContainer);
        }

        builder.Append(arrayPath, containers is not null, PatchValue.From(proxyContainer));
    }

    private ReadOnlyMemory<byte> VolumeFor(long expiration)
    {
        if (volumes.TryGetValue(expiration, out var cached))
        {
            return cached;
        }

        ReadOnlyMemory<byte> value = PatchValue.From(TokenVolumeRule.Create(expiration, Options.Audience));
        if (volumes.Count < MaxCachedVolumes)
        {
            volumes.TryAdd(expiration, value);
        }

        return value;
    }
}
