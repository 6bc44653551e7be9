using System.CommandLine;
using System.Reflection;

namespace AzureWorkloadIdentity.Cli.Commands.Version;

/// <summary><c>azwi version</c>: prints <c>Version: …</c> and <c>GitCommit: …</c> on two lines.</summary>
internal static class VersionCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        var command = new Command("version", "Print the version of azwi");
        CommandActions.Set(command, services, debug, async (_, _, _) =>
        {
            var (version, commit) = Read(typeof(VersionCommand).Assembly);
            await services.Console.Out.WriteAsync($"Version: {version}\nGitCommit: {commit}\n").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Version from the informational version without its <c>+commit</c> suffix; the commit from that suffix
    /// (the SDK appends the source revision) or from the <c>GitCommit</c> assembly metadata set at build time.
    /// </summary>
    public static (string Version, string Commit) Read(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus >= 0 ? informational[..plus] : informational;
        var commit = plus >= 0 ? informational[(plus + 1)..] : null;
        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GitCommit")?.Value;
        if (!string.IsNullOrWhiteSpace(metadata))
        {
            commit = metadata;
        }

        return (version, string.IsNullOrWhiteSpace(commit) ? "unknown" : commit);
    }
}
