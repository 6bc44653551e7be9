using System.CommandLine;
using System.CommandLine.Help;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands;

/// <summary>
/// Wires a command's handler with the shared error handling: a <see cref="CliUsageException"/> or any other
/// failure becomes one <c>Error: …</c> line on stderr and exit code 1; the stack trace only with <c>--debug</c>.
/// </summary>
internal static class CommandActions
{
    internal delegate Task<int> Handler(ParseResult parseResult, CliLog log, CancellationToken cancellationToken);

    public static void Set(Command command, CliServices services, Option<bool> debug, Handler handler)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var isDebug = parseResult.GetValue(debug);
            var log = new CliLog(services.Console.Error, isDebug, services.TimeProvider);
            try
            {
                return await handler(parseResult, log, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await services.Console.Error.WriteLineAsync("Error: cancelled").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
#pragma warning disable CA1031 // The CLI's last line of defence: every failure becomes one clear error line.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                await services.Console.Error.WriteLineAsync("Error: " + OneLine(Describe(exception))).ConfigureAwait(false);
                if (isDebug && exception is not CliUsageException)
                {
                    await services.Console.Error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
                }

                return ExitCodes.Failure;
            }
        });
    }

    /// <summary>A command group without its own behaviour prints its help, as the original does.</summary>
    public static void ShowHelp(Command command) =>
        command.SetAction(parseResult =>
        {
            new HelpAction().Invoke(parseResult);
            return ExitCodes.Success;
        });

    /// <summary>
    /// The message and those of its causes it does not already contain: Azure.Identity's "…Credential authentication
    /// failed: " says nothing by itself; the AADSTS reason is in MSAL's inner exception.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.Trim();
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message.Trim(), StringComparison.Ordinal))
            {
                message += " " + inner.Message.Trim();
            }
        }

        return message;
    }

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
