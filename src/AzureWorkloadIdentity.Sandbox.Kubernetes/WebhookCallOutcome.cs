namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>How one webhook call ended (<see cref="WebhookCallTimings"/>).</summary>
internal enum WebhookCallOutcome
{
    Allowed,
    Refused,
    Failed,
}
