using System.Text.Json;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>One element of a container list, as the rules read it: its name, the identity variables it defines, and whether it mounts the token.</summary>
internal sealed class ContainerView
{
    /// <summary>The variables the webhook injects, in the order of their slots.</summary>
    internal static readonly string[] IdentityVariables =
    [
        WorkloadIdentityEnvironment.ClientId,
        WorkloadIdentityEnvironment.TenantId,
        WorkloadIdentityEnvironment.FederatedTokenFile,
        WorkloadIdentityEnvironment.AuthorityHost,
    ];

    // Made when the container sets one of the variables: most containers set none.
    private EnvEntry?[]? _identityEntries;

    /// <summary>The element's JSON kind (a container is an object).</summary>
    public JsonValueKind Kind { get; internal set; }

    /// <summary><c>name</c>, when a string.</summary>
    public string? Name { get; internal set; }

    /// <summary>The JSON kind of <c>env</c> (undefined when absent).</summary>
    public JsonValueKind EnvKind { get; internal set; }

    /// <summary>The JSON kind of <c>volumeMounts</c> (undefined when absent).</summary>
    public JsonValueKind VolumeMountsKind { get; internal set; }

    /// <summary>A volume mount named <c>azure-identity-token</c> exists (whatever its path).</summary>
    public bool HasTokenMount { get; internal set; }

    /// <summary>
    /// The first <c>env</c> entry named <paramref name="variable"/>, one of the four identity variables; null when the
    /// container does not define it.
    /// </summary>
    public EnvEntry? Env(string variable) =>
        _identityEntries is { } entries && Array.IndexOf(IdentityVariables, variable) is var slot and >= 0 ? entries[slot] : null;

    /// <summary>Records the first entry of the identity variable in <paramref name="slot"/> (later ones of that name do not count).</summary>
    internal void SetEnv(int slot, EnvEntry entry) => (_identityEntries ??= new EnvEntry?[IdentityVariables.Length])[slot] ??= entry;

    /// <summary>Forgets the entries read (a second <c>env</c> member replaces the first).</summary>
    internal void ClearEnv() => _identityEntries = null;
}
