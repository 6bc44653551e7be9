namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// What a command line said: configuration keys and their values (the last occurrence wins, as with Go's flag
/// package), the problems found, and whether <c>--help</c> or <c>--version</c> was asked for.
/// </summary>
public sealed record CommandLine(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Errors, bool Help, bool Version)
{
    private static readonly string[] HelpNames = ["h", "help"];

    /// <summary>
    /// Parses Go-style flags: <c>--name value</c>, <c>--name=value</c>, one or two dashes, switches given bare.
    /// Unknown flags, stray arguments and missing values are errors; nothing is thrown.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, SettingTable table)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(table);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var (help, version) = (false, false);
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith('-') || argument.Length == 1)
            {
                errors.Add($"unexpected argument \"{argument}\"; flags look like --name=value (see --help)");
                continue;
            }

            var body = argument.StartsWith("--", StringComparison.Ordinal) ? argument[2..] : argument[1..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            if (equals < 0 && HelpNames.Contains(name))
            {
                help = true;
                continue;
            }

            if (equals < 0 && name == "version")
            {
                version = true;
                continue;
            }

            if (table.FindFlag(name) is not { } flag)
            {
                errors.Add($"unknown flag \"{argument}\"; known flags: {string.Join(", ", table.Flags.Select(f => f.DisplayName))} (see --help)");
                continue;
            }

            if (equals >= 0)
            {
                values[flag.Key] = body[(equals + 1)..];
            }
            else if (flag.Kind == SettingKind.Switch)
            {
                values[flag.Key] = "true";
            }
            else if (i + 1 < args.Count)
            {
                values[flag.Key] = args[++i];
            }
            else
            {
                errors.Add($"flag {flag.DisplayName} needs a value, e.g. {flag.DisplayName}={(flag.Default.Length > 0 ? flag.Default : "…")}");
            }
        }

        return new CommandLine(values, errors, help, version);
    }
}
