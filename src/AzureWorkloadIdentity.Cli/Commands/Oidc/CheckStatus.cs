namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>The outcome of one check, as written in <c>--output json</c>.</summary>
internal static class CheckStatus
{
    public const string Passed = "passed";

    public const string Failed = "failed";

    /// <summary>Entra ID accepts it, but something is likely to go wrong later.</summary>
    public const string Warning = "warning";
}
