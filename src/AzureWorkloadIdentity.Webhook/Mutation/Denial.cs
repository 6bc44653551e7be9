namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>A refusal: its reason (a row of <see cref="DenialReasons"/>) and the message the user reads.</summary>
internal sealed record Denial(DenialReason Reason, string Message);
