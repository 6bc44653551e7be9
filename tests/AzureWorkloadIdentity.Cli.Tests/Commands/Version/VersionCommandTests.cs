using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Version;

public sealed class VersionCommandTests
{
    [Fact(Timeout = 60_000)]
    public async Task Version_NoFlags_PrintsVersionAndCommitOnTwoLines()
    {
        var run = await CliRunner.RunAsync("version");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(new Regex(@"\AVersion: [0-9][^\s+]*\nGitCommit: \S+\n\z"), run.Out);
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public void Read_InformationalVersionWithCommitSuffix_SplitsVersionAndCommit()
    {
        var (version, commit) = AzureWorkloadIdentity.Cli.Commands.Version.VersionCommand.Read(typeof(CliApplication).Assembly);

        Assert.DoesNotContain('+', version);
        Assert.False(string.IsNullOrWhiteSpace(commit));
    }
}
