using System.Reflection;
using AzureWorkloadIdentity.Cli.Commands.Doctor;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

/// <summary>docs/troubleshooting.md explains every code azwi doctor can print, and the product documentation's cases.</summary>
public sealed class TroubleshootingDocumentationTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(SettingsDocumentation.RepositoryRoot(), "docs", "troubleshooting.md"));

    public static TheoryData<string> Codes() => [.. DoctorCodes.All.Select(c => c.Code)];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Troubleshooting_EveryDoctorCode_HasItsSection(string code) =>
        Assert.Contains($"\n### {code} — ", Document, StringComparison.Ordinal);

    [Fact]
    public void DoctorCodes_EveryConstantAndEveryCheck_IsListedOnce()
    {
        var constants = typeof(DoctorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToList();
        var listed = DoctorCodes.All.Select(c => c.Code).ToList();

        Assert.Equal(constants, listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(listed, DoctorChecks.All.Select(c => c.Code));
    }

    [Theory]
    [InlineData("AADSTS70021")]
    [InlineData("AADSTS90061")]
    [InlineData("permission denied")]
    [InlineData("fsGroup: 65534")]
    [InlineData("AADSTS50005")]
    [InlineData("admissions.enforcer/disabled")]
    [InlineData("kubectl logs -n azure-workload-identity-system -l app=workload-identity-webhook")]
    public void Troubleshooting_ProductDocumentationCase_IsCovered(string text) =>
        Assert.Contains(text, Document, StringComparison.Ordinal);
}
