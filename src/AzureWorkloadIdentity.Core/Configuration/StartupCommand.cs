namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// The entry point both executables share: <c>--help</c> and <c>--version</c> answer on stdout with exit 0 and need
/// no other setting; otherwise <c>run</c> starts the process, and any configuration problem — found
/// while reading the settings or by a validator when the host starts — is one report on stderr with exit 2.
/// </summary>
public static class StartupCommand
{
    public const int InvalidConfiguration = 2;

    public static async Task<int> RunAsync(SettingTable table, IReadOnlyList<string> args, Func<Task<int>> run, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var commandLine = CommandLine.Parse(args, table);
        if (commandLine.Help)
        {
            await output.WriteAsync(table.HelpText()).ConfigureAwait(false);
            return 0;
        }

        if (commandLine.Version)
        {
            await output.WriteLineAsync(BuildInfo.Json()).ConfigureAwait(false);
            return 0;
        }

        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (StartupException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
        }
        catch (Exception exception) when (OptionsProblems.From(exception) is { } problems)
        {
            await error.WriteLineAsync(new StartupException(table.Program, problems).Message).ConfigureAwait(false);
        }

        return InvalidConfiguration;
    }
}
