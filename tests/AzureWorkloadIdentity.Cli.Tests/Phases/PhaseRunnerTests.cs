using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Tests.Phases;

public sealed class PhaseRunnerTests
{
    [Fact(Timeout = 10_000)]
    public async Task RunAsync_ThreePhases_AllPreRunsBeforeAnyRun()
    {
        var calls = new List<string>();
        var phases = new[] { new RecordingPhase("a", calls), new RecordingPhase("b", calls), new RecordingPhase("c", calls) };

        await PhaseRunner.RunAsync(phases, new HashSet<string>(), Log(out _), CancellationToken.None);

        Assert.Equal(["pre:a", "pre:b", "pre:c", "run:a", "run:b", "run:c"], calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_PreRunFails_NothingRunsAndErrorNamesPhase()
    {
        var calls = new List<string>();
        var phases = new IPhase[] { new RecordingPhase("a", calls), new RecordingPhase("b", calls, failPreRun: true), new RecordingPhase("c", calls) };

        var error = await Assert.ThrowsAsync<PhaseException>(
            () => PhaseRunner.RunAsync(phases, new HashSet<string>(), Log(out _), CancellationToken.None));

        Assert.Equal("failed to run pre-run for phase b: --b-flag is required", error.Message);
        Assert.DoesNotContain(calls, c => c.StartsWith("run:", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_RunFails_LaterPhasesDoNotRun()
    {
        var calls = new List<string>();
        var phases = new IPhase[] { new RecordingPhase("a", calls, failRun: true), new RecordingPhase("b", calls) };

        var error = await Assert.ThrowsAsync<PhaseException>(
            () => PhaseRunner.RunAsync(phases, new HashSet<string>(), Log(out _), CancellationToken.None));

        Assert.Equal("failed to run phase a: service said no", error.Message);
        Assert.Equal(["pre:a", "pre:b", "run:a"], calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_SkippedPhase_NeitherPreRunNorRunAndLogged()
    {
        var calls = new List<string>();
        var phases = new IPhase[] { new RecordingPhase("a", calls), new RecordingPhase("b", calls, failPreRun: true) };

        await PhaseRunner.RunAsync(phases, new HashSet<string> { "b" }, Log(out var writer), CancellationToken.None);

        Assert.Equal(["pre:a", "run:a"], calls);
        Assert.Contains("skipping phase", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("phase=b", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseSkipPhases_CommaSeparatedAndRepeated_AllNames()
    {
        var phases = Phases3();

        var skip = PhaseRunner.ParseSkipPhases(phases, ["aad-application,service-account", "role-assignment"]);

        Assert.Equal(["aad-application", "role-assignment", "service-account"], skip.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("nope")]
    public void ParseSkipPhases_AliasOrUnknown_ErrorListsValidPhases(string value)
    {
        var error = Assert.Throws<CliUsageException>(() => PhaseRunner.ParseSkipPhases(Phases3(), [value]));

        Assert.StartsWith(
            $"failed to compute skip phases: phase '{value}' not found. Valid phases are: [aad-application service-account role-assignment]",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Phases_NamesAlignedInColumnOfLongest()
    {
        var text = PhaseRunner.Describe("create", [new RecordingPhase("ab", []).Info, new RecordingPhase("abcd", []).Info]);

        Assert.Equal("The \"create\" command executes the following phases in order:\nab    does ab\nabcd  does abcd", text);
    }

    private static PhaseInfo[] Phases3() =>
        [new RecordingPhase("aad-application", []).Info, new RecordingPhase("service-account", []).Info, new RecordingPhase("role-assignment", []).Info];

    private static CliLog Log(out StringWriter writer)
    {
        writer = new StringWriter();
        return new CliLog(writer, debug: false, TimeProvider.System);
    }

    private sealed class RecordingPhase(string name, List<string> calls, bool failPreRun = false, bool failRun = false) : IPhase
    {
        public PhaseInfo Info { get; } = new(name, [name[..1]], "does " + name);

        public Task PreRunAsync(CancellationToken cancellationToken)
        {
            calls.Add("pre:" + name);
            return failPreRun ? throw new CliUsageException($"--{name}-flag is required") : Task.CompletedTask;
        }

        public Task RunAsync(CancellationToken cancellationToken)
        {
            calls.Add("run:" + name);
            return failRun ? throw new InvalidOperationException("service said no") : Task.CompletedTask;
        }
    }
}
