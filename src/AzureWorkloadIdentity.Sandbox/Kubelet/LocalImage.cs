namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>What a container image stands for on this machine: a local program and its fixed arguments.</summary>
/// <param name="Repository">The image without tag or digest, e.g. <c>ghcr.io/azure/azure-workload-identity/msal-net</c>.</param>
public sealed record LocalImage(string Repository, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The repository part of an image reference (tag and digest removed).</summary>
    public static string RepositoryOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? image[..at] : image;
        var lastSlash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        return colon > lastSlash ? withoutDigest[..colon] : withoutDigest;
    }
}
