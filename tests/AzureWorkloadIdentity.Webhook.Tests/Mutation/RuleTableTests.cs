using System.Text.RegularExpressions;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>
/// docs/webhook.md §"Where each rule lives" stays true: every file and test it names exists, every fixture pattern
/// matches a fixture, and every fixture and numbered rule file is in the table.
/// </summary>
public sealed partial class RuleTableTests
{
    private static readonly string Root = SettingsDocumentation.RepositoryRoot();
    private static readonly string Source = Path.Combine(Root, "src", "AzureWorkloadIdentity.Webhook");
    private static readonly string Tests = Path.Combine(Root, "tests", "AzureWorkloadIdentity.Webhook.Tests");

    [Fact]
    public void Table_EveryRuleOfBehaviour_HasARow() =>
        Assert.Equal(Enumerable.Range(1, 12), Rows().Select(row => row.Rule));

    [Fact]
    public void Table_Files_Exist() =>
        Assert.All(Rows().SelectMany(row => row.Files), file => Assert.True(File.Exists(Path.Combine(Source, file)), $"{file} is in the table but not in the webhook"));

    [Fact]
    public void Table_Tests_Exist()
    {
        var testFiles = Directory.EnumerateFiles(Tests, "*Tests.cs", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToHashSet();

        Assert.All(Rows().SelectMany(row => row.Tests), test => Assert.Contains(test, testFiles));
    }

    [Fact]
    public void Table_FixturePatterns_EachMatchAFixture() =>
        Assert.All(Rows().SelectMany(row => row.Fixtures), pattern => Assert.Contains(MutationFixture.Names(), name => Matches(pattern, name)));

    [Fact]
    public void Table_EveryFixture_IsListed()
    {
        var patterns = Rows().SelectMany(row => row.Fixtures).ToList();

        Assert.All(MutationFixture.Names(), name => Assert.True(patterns.Any(pattern => Matches(pattern, name)), $"fixture {name} is in no row"));
    }

    [Fact]
    public void Table_EveryNumberedRuleFile_IsListed()
    {
        var listed = Rows().SelectMany(row => row.Files).ToHashSet();
        var ruleFiles = Directory.EnumerateFiles(Path.Combine(Source, "Mutation"), "*.cs")
            .Select(Path.GetFileName)
            .Where(name => NumberedRule().IsMatch(name!))
            .ToList();

        Assert.NotEmpty(ruleFiles);
        Assert.All(ruleFiles, name => Assert.Contains("Mutation/" + name, listed));
    }

    private static bool Matches(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern;

    private static List<(int Rule, string[] Files, string[] Fixtures, string[] Tests)> Rows()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "webhook.md"));
        var start = text.IndexOf("### Where each rule lives", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/webhook.md has no section 'Where each rule lives'");
        var end = text.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var rows = new List<(int, string[], string[], string[])>();
        foreach (Match match in Row().Matches(end < 0 ? text[start..] : text[start..end]))
        {
            var covered = Quoted(match.Groups["covered"].Value);
            rows.Add((
                int.Parse(match.Groups["rule"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Quoted(match.Groups["files"].Value),
                covered.Where(item => !item.EndsWith("Tests", StringComparison.Ordinal)).ToArray(),
                covered.Where(item => item.EndsWith("Tests", StringComparison.Ordinal)).ToArray()));
        }

        return rows;
    }

    private static string[] Quoted(string cell) => [.. Backticked().Matches(cell).Select(m => m.Groups[1].Value)];

    // | 3 environment | `Mutation/03-EnvironmentRule.cs`, … | `env-*`; `SomeTests` |
    [GeneratedRegex(@"^\| (?<rule>\d+) [^|]+\| (?<files>[^|]+)\| (?<covered>[^|]+)\|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^\d\d-.+\.cs$")]
    private static partial Regex NumberedRule();
}
