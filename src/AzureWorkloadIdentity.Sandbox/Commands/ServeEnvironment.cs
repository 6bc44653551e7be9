using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Commands;

/// <summary>
/// The <c>export</c> lines <c>serve</c> prints, one per variable, each value single-quoted so <c>eval</c> takes it
/// as is; the operator's secret is read from its 0600 file by the shell rather than printed.
/// </summary>
internal static class ServeEnvironment
{
    public static IReadOnlyList<string> ExportLines(SandboxHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return [.. host.Environment().Select(v => v.Key == "AZURE_CLIENT_SECRET"
            ? $"export {v.Key}=\"$(cat {Quote(host.OperatorSecretPath)})\""
            : $"export {v.Key}={Quote(v.Value)}")];
    }

    /// <summary>A shell single-quoted word: a <c>'</c> inside becomes <c>'\''</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
