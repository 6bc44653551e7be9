namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>A block blob as uploaded in one request (the SDK's single-shot upload of small files).</summary>
public sealed record StoredBlob(byte[] Content, string ContentType, string ETag, DateTimeOffset LastModified);
