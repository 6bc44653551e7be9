using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3's variables for one service account, serialised once: <c>AZURE_CLIENT_ID</c>, <c>AZURE_TENANT_ID</c>,
/// <c>AZURE_FEDERATED_TOKEN_FILE</c>, <c>AZURE_AUTHORITY_HOST</c>, in that order, leaving out empty values.
/// </summary>
public sealed class IdentityEnvironment
{
    private IdentityEnvironment(IReadOnlyList<EnvironmentVariable> variables)
    {
        Variables = variables;
        Values = variables.Select(v => v.Json).ToArray();
        WholeArray = PatchValue.Array(Values);
    }

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
        return new IdentityEnvironment(variables);
    }

    private static void Add(List<EnvironmentVariable> variables, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            variables.Add(new EnvironmentVariable(name, PatchValue.From(new JsonObject { ["name"] = name, ["value"] = value })));
        }
    }
}

/// <summary>One variable: its name and its env entry <c>{"name":…,"value":…}</c> as UTF-8 JSON.</summary>
public sealed record EnvironmentVariable(string Name, ReadOnlyMemory<byte> Json);
