namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>
/// The sandbox's whole cloud state: tenants and subscriptions, applications, service principals, user-assigned
/// identities, role assignments, resource groups and vaults. Records are immutable; every change replaces a
/// record under one lock, so readers (the token endpoint on every exchange) never see a half-made change.
/// Graph, Resource Manager, Entra ID and Key Vault all read and write this one store.
/// </summary>
public sealed class SandboxDirectory
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private State _state;

    public SandboxDirectory(string tenantId, string subscriptionId, TimeProvider? time = null)
    {
        TenantId = tenantId;
        SubscriptionId = subscriptionId;
        _time = time ?? TimeProvider.System;
        _state = State.Empty;
    }

    /// <summary>The sandbox's tenant; the only one its Entra ID knows.</summary>
    public string TenantId { get; }

    /// <summary>The sandbox's subscription, in <see cref="TenantId"/>.</summary>
    public string SubscriptionId { get; }

    public TimeProvider Time => _time;

    /// <summary>A consistent snapshot of the whole state.</summary>
    public State Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Applies <paramref name="change"/> atomically and returns what it returns.</summary>
    public T Update<T>(Func<State, (State Next, T Result)> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var (next, result) = change(_state);
            _state = next;
            return result;
        }
    }

    /// <summary>Replaces the whole state (loading a saved file).</summary>
    public void Restore(State state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    /// <summary>Finds the application or user-assigned identity whose client id is <paramref name="clientId"/>.</summary>
    public (Application? Application, UserAssignedIdentity? Identity) FindClient(string clientId)
    {
        var s = Snapshot;
        var app = s.Applications.Values.FirstOrDefault(a => string.Equals(a.AppId, clientId, StringComparison.OrdinalIgnoreCase));
        var identity = app is null
            ? s.Identities.Values.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
            : null;
        return (app, identity);
    }

    /// <summary>The whole state as one immutable value. Dictionaries are keyed case-insensitively by id.</summary>
    public sealed record State(
        IReadOnlyDictionary<string, Application> Applications,
        IReadOnlyDictionary<string, ServicePrincipal> ServicePrincipals,
        IReadOnlyDictionary<string, UserAssignedIdentity> Identities,
        IReadOnlyDictionary<string, ResourceGroup> ResourceGroups,
        IReadOnlyDictionary<string, RoleAssignment> RoleAssignments,
        IReadOnlyDictionary<string, KeyVault> Vaults)
    {
        public static readonly State Empty = new(
            Map<Application>(), Map<ServicePrincipal>(), Map<UserAssignedIdentity>(),
            Map<ResourceGroup>(), Map<RoleAssignment>(), Map<KeyVault>());

        private static Dictionary<string, T> Map<T>() => new(StringComparer.OrdinalIgnoreCase);
    }
}
