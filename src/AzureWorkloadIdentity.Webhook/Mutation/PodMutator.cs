using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// The mutation as a pure function: the pod as read from the request, its service account and the options in; RFC
/// 6902 operations (or a denial) out, addressing the pod as received. Each step is a numbered rule of
/// docs/webhook.md §Behaviour (<c>Mutation/NN-*Rule.cs</c>); values that depend only on the service account, the
/// options or the proxy port are serialised once and reused (<c>Mutation/Encoding/</c>).
/// </summary>
internal sealed class PodMutator
{
    private const int MaxCachedKeys = 64;
    private static readonly string[] MissingLabelWarnings = [OptInRule.MissingPodLabelWarning];
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly ConditionalWeakTable<ServiceAccountIdentity, IdentityEnvironment> _environments = [];
    private readonly BoundedCache<long, ReadOnlyMemory<byte>> _volumes = new(MaxCachedKeys);
    private readonly BoundedCache<int, ProxyContainers> _proxies = new(MaxCachedKeys);

    // Made once: a lambda that captures the options would be a new delegate on every admission.
    private readonly ConditionalWeakTable<ServiceAccountIdentity, IdentityEnvironment>.CreateValueCallback _createEnvironment;

    // The environment of every account without annotations (it then depends on the options alone). The cache answers
    // such an account with a new instance on each look-up, which the per-account table would meet as a new key.
    private readonly IdentityEnvironment _optionsEnvironment;

    public PodMutator(MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _createEnvironment = account => IdentityEnvironment.Create(account, options);
        _optionsEnvironment = IdentityEnvironment.Create(new ServiceAccountIdentity("", "", NoMetadata, NoMetadata), options);
    }

    public MutationOptions Options { get; }

    /// <summary>Mutates <paramref name="pod"/>, the <c>request.object</c> of an admission, as the rules of docs/webhook.md §Behaviour say.</summary>
    public MutationResult Mutate(PodView pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        var (optedIn, podLabelMissing) = OptInRule.Evaluate(pod, serviceAccount);
        var record = ReinvocationRule.Record(pod, optedIn, serviceAccount);
        if (record.Denial is { } leftover)
        {
            return MutationResult.Deny(leftover, []);
        }

        if (!optedIn)
        {
            return MutationResult.NotOptedIn;
        }

        IReadOnlyList<string> warnings = podLabelMissing ? MissingLabelWarnings : [];
        var shape = PodShapeRule.Validate(pod);
        var expiration = TokenExpirationRule.Resolve(pod, serviceAccount);
        var proxyPort = ProxySidecarRule.Resolve(pod);
        var volumePresent = TokenVolumeRule.Check(pod.Spec);
        if ((shape.Denial ?? expiration.Denial ?? proxyPort.Denial ?? volumePresent.Denial) is { } denial)
        {
            return MutationResult.Deny(denial, warnings);
        }

        var spec = shape.Value;
        var environment = serviceAccount.Annotations.Count == 0 ? _optionsEnvironment : _environments.GetValue(serviceAccount, _createEnvironment);
        var skip = SkipContainersRule.Parse(pod);
        var proxy = proxyPort.Value is { } port ? _proxies.GetOrCreate(port, static (port, options) => ProxyContainers.Create(options, port), Options) : null;
        var builder = new PatchBuilder();

        // Init container appended to the init containers; the sidecar first in the init containers (native) or
        // in the containers. Either is left out when a container of its name exists in either list.
        var initContainer = Missing(spec, proxy?.InitContainer);
        var sidecar = Missing(spec, proxy?.Sidecar);
        var native = Options.NativeSidecar;
        InjectContainers(spec.InitContainers, ContainerList.InitContainers, environment, record.Value, skip, builder, native ? sidecar : null, initContainer);
        InjectContainers(spec.Containers, ContainerList.Containers, environment, record.Value, skip, builder, native ? null : sidecar, null);

        if (!volumePresent.Value)
        {
            builder.Append(ArrayPath.Volumes, spec.VolumesKind == JsonValueKind.Array, VolumeFor(expiration.Value));
        }
        else if (TokenVolumeRule.ExpirationToCorrect(spec, record.Value, expiration.Value) is { } expirationPath)
        {
            builder.Replace(expirationPath, PatchValue.From(JsonValue.Create(expiration.Value)));
        }

        // The record is written whenever the webhook changes the pod, and corrected when a reinvocation injects
        // other values; a pod whose user set everything gets none (nothing on it is the webhook's).
        if (builder.Operations.Count > 0 || !record.Value.IsNone)
        {
            ReinvocationRule.Apply(pod, environment.RecordFor(expiration.Value), builder);
        }

        return MutationResult.Patched(builder.Operations, warnings);
    }

    private static InjectedContainer? Missing(PodSpecView spec, InjectedContainer? container) =>
        container is null || spec.HasContainer(container.Name) ? null : container;

    private static void InjectContainers(
        ContainerListView containers, ContainerList list, IdentityEnvironment environment, InjectionRecord record, IReadOnlySet<string> skip,
        PatchBuilder builder, InjectedContainer? first, InjectedContainer? last)
    {
        var items = containers.Items;
        for (var index = 0; index < items.Count; index++)
        {
            var container = items[index];
            if (!skip.Contains(container.Name ?? ""))
            {
                var paths = list.Item(index);
                EnvironmentRule.Apply(container, paths, environment, record, builder);
                TokenMountRule.Apply(container, paths, builder);
            }
        }

        var exists = containers.Exists;
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
        _volumes.GetOrCreate(expiration, static (seconds, audience) => PatchValue.From(TokenVolumeRule.Create(seconds, audience)), Options.Audience);
}
