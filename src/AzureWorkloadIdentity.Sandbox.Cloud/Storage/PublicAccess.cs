namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>A container's anonymous read access (<c>x-ms-blob-public-access</c>).</summary>
public enum PublicAccess
{
    /// <summary>Only authenticated callers read blobs.</summary>
    None,

    /// <summary>Anyone reads blobs by URL (but cannot list the container).</summary>
    Blob,

    /// <summary>Anyone reads blobs and lists the container; the documentation's <c>--public-access container</c>.</summary>
    Container,
}
