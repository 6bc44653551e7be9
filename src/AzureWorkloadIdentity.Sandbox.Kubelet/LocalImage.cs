namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>What a container image stands for on this machine: a local program and its fixed arguments.</summary>
/// <param name="Repository">The image without tag or digest, e.g. <c>ghcr.io/azure/azure-workload-identity/msal-net</c>.</param>
public sealed record LocalImage(string Repository, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// The path of the image's entrypoint inside the container (e.g. <c>/proxy</c>), so an exec command or hook that
    /// starts with it runs the local program instead.
    /// </summary>
    public string? Entrypoint { get; init; }

    /// <summary>The image's <c>USER</c>: the UID its processes run as unless the pod says otherwise.</summary>
    public long? User { get; init; }

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
