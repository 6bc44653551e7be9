namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>One near miss the webhook explains to the user: a bounded reason (metric label) and the message kubectl prints.</summary>
internal readonly record struct AdmissionWarning(string Reason, string Message);
