using AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

/// <summary>
/// WI-POD-001's explanation of a pod that opts in but was not mutated. Creation timestamps count whole seconds, so a pod
/// created in the second the webhook was installed is not "after" it: it may have come just before, or before the
/// webhook's server answered (seen on a fast machine in DoctorScenarioTests).
/// </summary>
public sealed class PodMutatedCheckTests
{
    private static readonly DateTime Installed = new(2026, 12, 5, 4, 0, 10, DateTimeKind.Utc);

    [Fact]
    public void Because_CreatedBeforeTheWebhook_SaysSoWithBothTimes() =>
        Assert.Equal("it was created at 2026-12-05 04:00:09Z, before the webhook was installed at 2026-12-05 04:00:10Z",
            PodMutatedCheck.Because(Installed, Installed.AddSeconds(-1)));

    [Fact]
    public void Because_CreatedInTheSecondTheWebhookWasInstalled_BeforeItWasInstalledOrReady()
    {
        var because = PodMutatedCheck.Because(Installed, Installed);

        Assert.Contains("the second the webhook was installed", because, StringComparison.Ordinal);
        Assert.Contains("before the webhook was installed, or before it was ready to answer", because, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    public void Because_CreatedAfterTheWebhook_UnreachableOrNotSelected(int seconds) =>
        Assert.Equal("it was created while the webhook was unreachable (failurePolicy Ignore) or did not match its selectors",
            PodMutatedCheck.Because(Installed, Installed.AddSeconds(seconds)));

    [Fact]
    public void Because_NoTimestamps_UnreachableOrNotSelected() =>
        Assert.StartsWith("it was created while the webhook was unreachable", PodMutatedCheck.Because(null, null), StringComparison.Ordinal);
}
