using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Core.Configuration;
using Xunit;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>
/// The flag and environment tables of a docs page (rows <c>| `name` | `default` | meaning |</c> under the headings
/// <c>## Flags</c> and <c>## Environment</c>), compared with the <see cref="SettingTable"/> the program parses with.
/// </summary>
public static partial class SettingsDocumentation
{
    /// <summary>Asserts that the page documents exactly the table's flags and variables, each with the table's default.</summary>
    public static void AssertDocuments(SettingTable table, string page)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", page));
        Assert.Equal(
            table.Flags.Select(flag => (flag.DisplayName, flag.Default)),
            Rows(Section(text, "## Flags")));
        Assert.Equal(
            table.Variables.Select(variable => (variable.Name, variable.Default)),
            Rows(Section(text, "## Environment")));
    }

    private static string Section(string text, string heading)
    {
        var start = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no \"{heading}\" section");
        var end = text.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static IEnumerable<(string Name, string Default)> Rows(string section) =>
        Row().Matches(section).Select(match => (match.Groups["name"].Value, match.Groups["default"].Value));

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AzureWorkloadIdentity.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no AzureWorkloadIdentity.slnx above {AppContext.BaseDirectory}; run the tests from the checkout");
    }

    // | `--port` | `9443` | meaning |   or   | `AZURE_TENANT_ID` | | meaning |
    [GeneratedRegex(@"^\| `(?<name>[^`]+)` \| (`(?<default>[^`]*)`)? *\|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
