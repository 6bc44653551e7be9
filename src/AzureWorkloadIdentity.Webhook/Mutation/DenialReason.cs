namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>Why an admission is refused.</summary>
/// <param name="Name">The metric label value and the log's reason (<c>azwi_admissions_total{outcome="denied",reason}</c>).</param>
/// <param name="Code">The HTTP code in the review's status: 400 for the request's fault, 500 when the webhook could not decide.</param>
/// <param name="Rule">The rule of docs/webhook.md §Behaviour that refuses.</param>
internal sealed record DenialReason(string Name, int Code, int Rule);
