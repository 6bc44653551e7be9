namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>A reconcile step failed; the message names the object, the problem and the fix.</summary>
internal sealed class CertificateRotationException : Exception
{
    public CertificateRotationException()
    {
    }

    public CertificateRotationException(string message)
        : base(message)
    {
    }

    public CertificateRotationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
