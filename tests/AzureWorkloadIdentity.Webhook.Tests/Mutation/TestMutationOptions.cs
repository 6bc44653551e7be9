using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>The settings fixtures assume unless they override them.</summary>
internal static class TestMutationOptions
{
    public static MutationOptions Default { get; } = new(
        "tenant-config",
        "https://login.microsoftonline.com/",
        ProxyImageRegistry: "registry.example/azwi",
        ProxyImageVersion: "v9.9.9");
}
