namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// One RFC 6902 operation. The value is kept as UTF-8 JSON so values computed once (per service account or per
/// process) are written into every patch without being rebuilt.
/// </summary>
/// <param name="Path">JSON pointer into the object as received; <c>/-</c> appends to an array.</param>
/// <param name="Value">The value, as UTF-8 JSON (empty for <see cref="PatchOperationKind.Remove"/>).</param>
/// <param name="Kind">What the operation does; <c>add</c> unless the webhook corrects a value it injected itself.</param>
internal sealed record PatchOperation(string Path, ReadOnlyMemory<byte> Value, PatchOperationKind Kind = PatchOperationKind.Add);
