using System.CommandLine;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>The flags the <c>oidc</c> commands share.</summary>
internal static class OidcOptions
{
    public static Option<string> IssuerUrl() => new("--issuer-url")
    {
        Description = "The service account issuer URL, exactly as the cluster's --service-account-issuer (a trailing slash matters)",
    };

    public static Option<string[]> PublicKeys(string description) => new("--public-keys")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--output text|json</c>: json writes only the data to stdout, for scripts.</summary>
    public static Option<string> Output() =>
        new("--output", "-o") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };

    /// <summary>True for json, false for text; otherwise a one-line usage error.</summary>
    public static bool IsJson(string? output) => output switch
    {
        "json" => true,
        "text" => false,
        _ => throw new CliUsageException($"--output: '{output}' is not a format; use --output text or --output json"),
    };

    /// <summary>The issuer flag's value when Entra ID would accept it; otherwise a one-line usage error with the fix.</summary>
    public static string RequireIssuer(string? issuer)
    {
        if (issuer is null)
        {
            throw new CliUsageException("--issuer-url is required: pass the cluster's service account issuer URL, e.g. https://<account>.blob.core.windows.net/<container>/");
        }

        return Oidc.IssuerUrl.Problem(issuer) is { } problem ? throw new CliUsageException("--issuer-url: " + problem) : issuer;
    }
}
