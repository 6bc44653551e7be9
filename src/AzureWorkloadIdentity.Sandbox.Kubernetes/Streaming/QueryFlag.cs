namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>A boolean query parameter as Kubernetes' parameter codec reads it.</summary>
internal static class QueryFlag
{
    public static bool IsTrue(string? value) => value is "true" or "1" or "True";
}
