using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>A container of one storage account: its public access level and its blobs by name.</summary>
public sealed class BlobContainer(string name, PublicAccess access, string eTag, DateTimeOffset created)
{
    public string Name { get; } = name;

    public PublicAccess Access { get; } = access;

    public string ETag { get; } = eTag;

    public DateTimeOffset Created { get; } = created;

    public ConcurrentDictionary<string, StoredBlob> Blobs { get; } = new(StringComparer.Ordinal);
}
