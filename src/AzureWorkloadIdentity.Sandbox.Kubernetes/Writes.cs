namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>Query options every write verb shares.</summary>
internal static class Writes
{
    /// <summary><c>dryRun=All</c>: validate and answer, store nothing; any other value is refused as kube-apiserver does.</summary>
    public static bool IsDryRun(IQueryCollection query)
    {
        var values = query["dryRun"];
        if (values.Count == 0)
        {
            return false;
        }

        return values.All(v => v == "All")
            ? true
            : throw new KubernetesApiException(422, "Invalid",
                $"dryRun: Unsupported value: \"{values}\": supported values: \"All\" (kubectl --dry-run=server)");
    }
}
