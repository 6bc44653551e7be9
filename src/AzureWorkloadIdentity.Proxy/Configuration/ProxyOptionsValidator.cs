using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Proxy.Configuration;

/// <summary>Checks <see cref="ProxyOptions"/> and reports every problem at once, so one restart fixes them all.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"--proxy-port {options.Port} is not a TCP port (0-65535)");
        }

        if (LogLevelNames.Parse(options.LogLevel) is null)
        {
            problems.Add($"--log-level \"{options.LogLevel}\" is not supported; use {LogLevelNames.Supported}");
        }

        if (!ConsoleLogging.IsSupported(options.LogFormat))
        {
            problems.Add($"--log-format \"{options.LogFormat}\" is not supported; use {ConsoleLogging.Supported}");
        }

        // --probe only needs the port: the postStart hook checks the proxy that the container already started.
        if (!options.Probe)
        {
            Require(problems, WorkloadIdentityEnvironment.TenantId, options.TenantId);
            Require(problems, WorkloadIdentityEnvironment.FederatedTokenFile, options.TokenFile);
            if (Require(problems, WorkloadIdentityEnvironment.AuthorityHost, options.AuthorityHostUrl) && options.AuthorityHostOrNull is null)
            {
                problems.Add($"{WorkloadIdentityEnvironment.AuthorityHost} \"{options.AuthorityHostUrl}\" is not an absolute https URL such as https://login.microsoftonline.com/");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool Require(List<string> problems, string variable, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        problems.Add($"{variable} is not set; the workload identity webhook injects it into pods labelled azure.workload.identity/use=true");
        return false;
    }
}
