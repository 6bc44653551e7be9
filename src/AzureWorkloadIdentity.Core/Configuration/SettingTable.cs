using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// Every setting of one process. The flag parser, <c>--help</c>, the environment aliases, the check that values
/// parse, and the tests that compare the docs with the code all read this one list.
/// </summary>
public sealed class SettingTable(string program, string summary, IReadOnlyList<Setting> settings)
{
    public string Program { get; } = program;

    public string Summary { get; } = summary;

    public IReadOnlyList<Setting> Settings { get; } = settings;

    public IEnumerable<Setting> Flags => Settings.Where(setting => setting.Kind != SettingKind.Environment);

    public IEnumerable<Setting> Variables => Settings.Where(setting => setting.Kind == SettingKind.Environment);

    public Setting? FindFlag(string name) => Flags.FirstOrDefault(setting => setting.Name == name);

    /// <summary>
    /// Adds the settings given in <paramref name="args"/> to <paramref name="configuration"/> (which holds the
    /// environment), after the <see cref="Aliases"/>, and returns every problem found so far: command-line errors and
    /// values that do not parse. Such values are hidden from the binder afterwards, so the remaining settings still
    /// bind and validate and one report names them all.
    /// </summary>
    public List<string> Apply(ConfigurationManager configuration, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var commandLine = CommandLine.Parse(args, this);
        configuration.AddInMemoryCollection(Aliases(configuration));
        configuration.AddInMemoryCollection(commandLine.Values);
        var problems = new List<string>(commandLine.Errors);
        var valueProblems = ValueProblems(configuration, commandLine);
        problems.AddRange(valueProblems.Select(p => p.Problem));
        configuration.AddInMemoryCollection(valueProblems.Select(p => new KeyValuePair<string, string?>(p.Key, null)));
        return problems;
    }

    /// <summary>
    /// Values of the variables whose key differs from their name (e.g. <c>AZURE_TENANT_ID</c> →
    /// <c>Webhook:TenantId</c>), for keys not already set, so the options bind from their sections alone.
    /// </summary>
    public Dictionary<string, string?> Aliases(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var aliases = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in Variables)
        {
            if (variable.Key != variable.Name && configuration[variable.Name] is { } value && configuration[variable.Key] is null)
            {
                aliases[variable.Key] = value;
            }
        }

        return aliases;
    }

    /// <summary>Every value that does not parse as its setting's type: its key, and the problem naming it as the user gave it.</summary>
    public IReadOnlyList<(string Key, string Problem)> ValueProblems(IConfiguration configuration, CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(commandLine);
        var problems = new List<(string Key, string Problem)>();
        foreach (var group in Settings.Where(setting => setting.Type != SettingType.Text).GroupBy(setting => setting.Key, StringComparer.OrdinalIgnoreCase))
        {
            var setting = group.First();
            if (configuration[setting.Key] is not { } value || Parses(setting.Type, value))
            {
                continue;
            }

            var name = commandLine.Values.ContainsKey(setting.Key)
                ? group.First(s => s.Kind != SettingKind.Environment).DisplayName
                : (group.FirstOrDefault(s => s.Kind == SettingKind.Environment) ?? setting).DisplayName;
            problems.Add((setting.Key, $"{name} \"{value}\" is not {Expected(setting)}"));
        }

        return problems;
    }

    /// <summary>The <c>--help</c> text: usage, every flag and every environment variable with its default.</summary>
    public string HelpText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Usage: {Program} [flags]\n\n{Summary}\n\nFlags (--name value, --name=value or -name=value):\n");
        foreach (var flag in Flags)
        {
            Line(text, flag.DisplayName + (flag.Kind == SettingKind.Switch ? "" : " value"), flag);
        }

        Line(text, "--help", new Setting("help", "", SettingKind.Switch, SettingType.Boolean, "", "print this help and exit"));
        Line(text, "--version", new Setting("version", "", SettingKind.Switch, SettingType.Boolean, "", "print the build as one JSON line and exit"));
        text.Append("\nEnvironment variables:\n");
        foreach (var variable in Variables)
        {
            Line(text, variable.Name, variable);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, Setting setting)
    {
        var @default = setting.Default.Length == 0 ? "" : $" (default {setting.Default})";
        text.Append(CultureInfo.InvariantCulture, $"  {name,-40} {setting.Description}{@default}\n");
    }

    // The same parsers as the configuration binder, so a value that passes here binds.
    private static bool Parses(SettingType type, string value) => type switch
    {
        SettingType.Integer => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        SettingType.Boolean => bool.TryParse(value, out _),
        SettingType.TimeSpan => System.TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    private static string Expected(Setting setting) => setting.Type switch
    {
        SettingType.Integer => "a whole number",
        SettingType.Boolean => "true or false",
        _ => $"a time span such as {(setting.Default.Length > 0 ? setting.Default : "00:00:30")} ([d.]hh:mm:ss[.fff])",
    };
}
