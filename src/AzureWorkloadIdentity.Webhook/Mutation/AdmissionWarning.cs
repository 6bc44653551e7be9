namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>One near miss the webhook explains to the user: a bounded reason (metric label) and the message kubectl prints.</summary>
public readonly record struct AdmissionWarning(string Reason, string Message);
