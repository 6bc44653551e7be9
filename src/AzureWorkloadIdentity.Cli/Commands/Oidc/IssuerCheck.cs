namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>One line of <c>azwi oidc verify</c>: a stable code (see <see cref="CheckCodes"/>), its status and what was found.</summary>
internal sealed record IssuerCheck(string Code, string Status, string Message)
{
    public static IssuerCheck Pass(string code, string message) => new(code, CheckStatus.Passed, message);

    public static IssuerCheck Fail(string code, string message) => new(code, CheckStatus.Failed, message);

    public static IssuerCheck Warn(string code, string message) => new(code, CheckStatus.Warning, message);
}
