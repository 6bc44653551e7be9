namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// One RFC 6902 <c>add</c> operation. The value is kept as UTF-8 JSON so values computed once (per service account
/// or per process) are written into every patch without being rebuilt.
/// </summary>
/// <param name="Path">JSON pointer into the object as received; <c>/-</c> appends to an array.</param>
/// <param name="Value">The added value, as UTF-8 JSON.</param>
public sealed record PatchOperation(string Path, ReadOnlyMemory<byte> Value);
