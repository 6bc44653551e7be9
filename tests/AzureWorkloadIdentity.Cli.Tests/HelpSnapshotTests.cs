namespace AzureWorkloadIdentity.Cli.Tests;

/// <summary>
/// The help text is part of the documented interface: a change to a flag, default or description shows up here.
/// To accept an intended change, run with AZWI_UPDATE_SNAPSHOTS=1 and review the diff of tests/…/Snapshots.
/// </summary>
public sealed class HelpSnapshotTests
{
    public static TheoryData<string, string> Commands() => new()
    {
        { "root", "--help" },
        { "jwks", "jwks --help" },
        { "oidc", "oidc --help" },
        { "oidc-discovery", "oidc discovery --help" },
        { "oidc-verify", "oidc verify --help" },
        { "oidc-rotate-plan", "oidc rotate-plan --help" },
        { "version", "version --help" },
        { "serviceaccount", "serviceaccount --help" },
        { "serviceaccount-create", "serviceaccount create --help" },
        { "serviceaccount-delete", "serviceaccount delete --help" },
        { "serviceaccount-create-phase", "sa create phase --help" },
        { "serviceaccount-create-phase-fi", "sa create phase fi --help" },
        { "podidentity", "podidentity --help" },
        { "podidentity-detect", "pi detect --help" },
        { "doctor", "doctor --help" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Commands))]
    public async Task Help_Command_MatchesSnapshot(string snapshot, string arguments)
    {
        var run = await CliRunner.RunAsync(arguments.Split(' '));
        // The usage line names the host process (testhost here, azwi when installed).
        var output = System.Text.RegularExpressions.Regex.Replace(run.Out.ReplaceLineEndings("\n"), @"(?m)^(Usage:\n  )\S+", "$1azwi");
        var path = Path.Combine(AppContext.BaseDirectory, "Snapshots", snapshot + ".txt");

        if (Environment.GetEnvironmentVariable("AZWI_UPDATE_SNAPSHOTS") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Snapshots", snapshot + ".txt");
            await File.WriteAllTextAsync(source, output);
            return;
        }

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.True(File.Exists(path), $"missing snapshot {path}; run the tests with AZWI_UPDATE_SNAPSHOTS=1 to create it");
        Assert.Equal((await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), output);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(file)!;
}
