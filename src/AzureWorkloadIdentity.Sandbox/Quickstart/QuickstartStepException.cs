namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>A quick-start step failed; the message names the cause (e.g. an AADSTS code) in words for people.</summary>
internal sealed class QuickstartStepException : Exception
{
    public QuickstartStepException()
    {
    }

    public QuickstartStepException(string message)
        : base(message)
    {
    }

    public QuickstartStepException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
