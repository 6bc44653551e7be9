namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>The result of one <c>azwi doctor</c> check, as written in <c>--output json</c>.</summary>
internal enum DoctorStatus
{
    Passed,

    /// <summary>Works today, but is fragile or will stop working (e.g. opt-in only through the service account).</summary>
    Warning,

    Failed,
}
