namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>What the Secret should hold, and why it differs from what it holds (empty when nothing changes).</summary>
internal sealed record CertificatePlan(CertificateMaterial Material, IReadOnlyList<string> Reasons)
{
    public bool Changed => Reasons.Count > 0;
}
