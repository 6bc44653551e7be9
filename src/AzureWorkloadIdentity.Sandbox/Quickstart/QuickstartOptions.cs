namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>What the quick start does, beyond the documentation's defaults.</summary>
internal sealed class QuickstartOptions
{
    /// <summary>Use a user-assigned managed identity instead of an Entra application.</summary>
    public bool UserAssignedIdentity { get; set; }

    /// <summary>The sample run as the pod's container, one of <see cref="SampleImages.Names"/>.</summary>
    public string Sample { get; set; } = "msal-net";

    /// <summary>Leave everything in place instead of cleaning up (the sandbox still stops with the command).</summary>
    public bool SkipCleanup { get; set; }

    public string ServiceAccountNamespace { get; set; } = "default";

    public string ServiceAccountName { get; set; } = "workload-identity-sa";

    public string SecretName { get; set; } = "my-secret";

    public string SecretValue { get; set; } = "Hello!";
}
