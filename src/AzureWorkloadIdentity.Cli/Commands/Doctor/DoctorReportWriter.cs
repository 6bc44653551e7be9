using System.Text;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>Writes <c>azwi doctor</c>'s findings as text (one line per check, the fix under it) or as the documented JSON object.</summary>
internal static class DoctorReportWriter
{
    public static bool Passed(IEnumerable<DoctorFinding> findings) => findings.All(f => f.Status != DoctorStatus.Failed);

    public static string Text(DoctorTarget target, IReadOnlyList<DoctorFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(findings);
        var text = new StringBuilder();
        text.Append("Diagnosing ").Append(target.Description).Append('\n');
        foreach (var finding in findings)
        {
            text.Append(Label(finding.Status)).Append("  ").Append(finding.Code.PadRight(10)).Append("  ").Append(finding.Found).Append('\n');
            foreach (var detail in finding.Details)
            {
                text.Append("                  ").Append(detail).Append('\n');
            }

            if (finding.Fix.Length > 0)
            {
                text.Append("                  fix: ").Append(finding.Fix).Append('\n');
            }
        }

        var failed = findings.Count(f => f.Status == DoctorStatus.Failed);
        var warned = findings.Count(f => f.Status == DoctorStatus.Warning);
        text.Append(failed == 0
            ? $"no check failed ({findings.Count} run, {warned} warning(s))\n"
            : $"{failed} check(s) failed, {warned} warning(s): fix the first failure first, later ones often follow from it\n");
        return text.ToString();
    }

    public static string Json(DoctorTarget target, IReadOnlyList<DoctorFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(findings);
        return JsonOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("target", target.Description);
            writer.WriteString("namespace", target.Namespace);
            writer.WriteString("serviceAccount", target.ServiceAccountName);
            writer.WriteBoolean("passed", Passed(findings));
            writer.WriteStartArray("checks");
            foreach (var finding in findings)
            {
                writer.WriteStartObject();
                writer.WriteString("code", finding.Code);
                writer.WriteString("status", finding.Status.ToString().ToLowerInvariant());
                writer.WriteString("found", finding.Found);
                writer.WriteString("fix", finding.Fix);
                writer.WriteStrings("details", finding.Details);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Passed => "PASS",
        DoctorStatus.Warning => "WARN",
        _ => "FAIL",
    };
}
