namespace AzureWorkloadIdentity.Cli.Output;

internal enum CliLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
