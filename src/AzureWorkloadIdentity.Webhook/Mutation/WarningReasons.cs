namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The bounded reasons of admission warnings (the <c>reason</c> of <c>azwi_admissions_total{outcome="warning"}</c>).</summary>
internal static class WarningReasons
{
    public const string UseNotTrue = "use-not-true";
    public const string NearMissKey = "near-miss-key";
    public const string MissingClientId = "missing-client-id";
    public const string UnknownSkipContainer = "unknown-skip-container";
    public const string ProxyWithoutOptIn = "proxy-without-opt-in";

    /// <summary>A workload carries the opt-in label on its own metadata but not on its pod template.</summary>
    public const string LabelNotOnTemplate = "label-not-on-template";
}
