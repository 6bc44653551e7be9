namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>An <c>env</c> entry of an identity variable: where it is, and whether it is a plain value the webhook may have set.</summary>
/// <param name="Index">Its index in the container's <c>env</c>.</param>
/// <param name="Value">Its <c>value</c>, when a string.</param>
/// <param name="FromReference">It has a <c>valueFrom</c> (then it is the user's, whatever its value).</param>
internal sealed record EnvEntry(int Index, string? Value, bool FromReference);
