using System.Text;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>Writes <c>azwi oidc verify</c>'s checks as text (one line per check) or as the documented JSON object.</summary>
internal static class VerificationReportWriter
{
    public static bool Passed(IEnumerable<IssuerCheck> checks) =>
        checks.All(c => c.Status != CheckStatus.Failed);

    public static string Text(string issuer, IReadOnlyList<IssuerCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var width = checks.Count == 0 ? 0 : checks.Max(c => c.Code.Length);
        var text = new StringBuilder();
        foreach (var check in checks)
        {
            var label = check.Status switch
            {
                CheckStatus.Passed => "PASS",
                CheckStatus.Warning => "WARN",
                _ => "FAIL",
            };
            text.Append(label).Append("  ").Append(check.Code.PadRight(width)).Append("  ").Append(check.Message).Append('\n');
        }

        var failed = checks.Count(c => c.Status == CheckStatus.Failed);
        text.Append(failed == 0
            ? $"issuer {issuer} passed every check\n"
            : $"issuer {issuer} failed {failed} check(s): Entra ID will refuse its tokens until they pass\n");
        return text.ToString();
    }

    public static string Json(string issuer, IReadOnlyList<IssuerCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return JsonOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("issuerUrl", issuer);
            writer.WriteBoolean("passed", Passed(checks));
            writer.WriteStartArray("checks");
            foreach (var check in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("code", check.Code);
                writer.WriteString("status", check.Status);
                writer.WriteString("message", check.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }
}
