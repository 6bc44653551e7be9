using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3's variables for one service account, serialised once: <c>AZURE_CLIENT_ID</c>, <c>AZURE_TENANT_ID</c>,
/// <c>AZURE_FEDERATED_TOKEN_FILE</c>, <c>AZURE_AUTHORITY_HOST</c>, in that order, leaving out empty values.
/// </summary>
public sealed class IdentityEnvironment
{
    private const int MaxCachedRecords = 16;

    private readonly BoundedCache<long, RecordValue> _records = new(MaxCachedRecords);

    private IdentityEnvironment(IReadOnlyList<EnvironmentVariable> variables, string? clientId, string tenantId)
    {
        ClientId = clientId;
        TenantId = tenantId;
        Variables = variables;
        Values = variables.Select(v => v.Json).ToArray();
        WholeArray = PatchValue.Array(Values);
    }

    /// <summary>The client ID injected, or null when the service account names none.</summary>
    public string? ClientId { get; }

    /// <summary>The tenant ID injected.</summary>
    public string TenantId { get; }

    /// <summary>The variables to inject, in order.</summary>
    public IReadOnlyList<EnvironmentVariable> Variables { get; }

    /// <summary>The env entries of <see cref="Variables"/>, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Values { get; }

    /// <summary>All variables as one JSON array (the value when a container has no <c>env</c> yet).</summary>
    public ReadOnlyMemory<byte> WholeArray { get; }

    public static IdentityEnvironment Create(ServiceAccountIdentity serviceAccount, MutationOptions options)
    {
        ArgumentNullException.ThrowIfNull(serviceAccount);
        ArgumentNullException.ThrowIfNull(options);
        serviceAccount.Annotations.TryGetValue(WorkloadIdentityAnnotations.ClientId, out var clientId);
        serviceAccount.Annotations.TryGetValue(WorkloadIdentityAnnotations.TenantId, out var tenantId);
        if (string.IsNullOrEmpty(tenantId))
        {
            tenantId = options.TenantId;
        }

        var variables = new List<EnvironmentVariable>(4);
        Add(variables, WorkloadIdentityEnvironment.ClientId, clientId);
        Add(variables, WorkloadIdentityEnvironment.TenantId, tenantId);
        Add(variables, WorkloadIdentityEnvironment.FederatedTokenFile, WorkloadIdentityDefaults.TokenFilePath);
        Add(variables, WorkloadIdentityEnvironment.AuthorityHost, options.AuthorityHost);
        return new IdentityEnvironment(variables, string.IsNullOrEmpty(clientId) ? null : clientId, tenantId);
    }

    /// <summary>The variable named <paramref name="name"/> this account injects, or null.</summary>
    public EnvironmentVariable? Find(string name)
    {
        for (var i = 0; i < Variables.Count; i++)
        {
            if (Variables[i].Name == name)
            {
                return Variables[i];
            }
        }

        return null;
    }

    /// <summary>The <see cref="InjectionRecord"/> annotation for this account and a token lifetime, built once per lifetime.</summary>
    public RecordValue RecordFor(long expirationSeconds) =>
        _records.GetOrCreate(expirationSeconds, static (seconds, self) => RecordValue.Create(InjectionRecord.Format(self.ClientId, self.TenantId, seconds)), this);

    private static void Add(List<EnvironmentVariable> variables, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            variables.Add(new EnvironmentVariable(
                name, value, PatchValue.From(new JsonObject { ["name"] = name, ["value"] = value }), PatchValue.From(JsonValue.Create(value))));
        }
    }
}

/// <summary>One variable: its name, its value, its env entry <c>{"name":…,"value":…}</c> and its value as UTF-8 JSON.</summary>
public sealed record EnvironmentVariable(string Name, string Value, ReadOnlyMemory<byte> Json, ReadOnlyMemory<byte> ValueJson);

