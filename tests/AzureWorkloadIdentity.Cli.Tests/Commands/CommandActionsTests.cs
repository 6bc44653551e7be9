using AzureWorkloadIdentity.Cli.Commands;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Tests.Commands;

public sealed class CommandActionsTests
{
    [Fact]
    public void Describe_CredentialFailureWrappingTheReason_IncludesTheReasonOnce()
    {
        var reason = new InvalidOperationException("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.");
        var credential = new InvalidOperationException("ClientCertificateCredential authentication failed: ", reason);
        var phase = new PhaseException($"failed to run phase aad-application: {credential.Message}", credential);

        var described = CommandActions.Describe(phase);

        Assert.Equal(
            "failed to run phase aad-application: ClientCertificateCredential authentication failed: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.",
            described);
    }

    [Fact]
    public void Describe_CauseAlreadyInTheMessage_NotRepeated()
    {
        var cause = new IOException("disk full");

        Assert.Equal("failed to write: disk full", CommandActions.Describe(new InvalidOperationException("failed to write: disk full", cause)));
    }
}
