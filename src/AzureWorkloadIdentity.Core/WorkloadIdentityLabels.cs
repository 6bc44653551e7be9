namespace AzureWorkloadIdentity.Core;

/// <summary>Labels of the workload identity contract.</summary>
public static class WorkloadIdentityLabels
{
    /// <summary>Prefix shared by every label and annotation of the contract.</summary>
    public const string Prefix = "azure.workload.identity/";

    /// <summary>Opts a pod (label) or service account (label or annotation) in; only the value <c>"true"</c> counts.</summary>
    public const string Use = Prefix + "use";

    /// <summary>The value of <see cref="Use"/> that opts in.</summary>
    public const string UseValue = "true";
}
