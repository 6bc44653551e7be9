using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>Checks every setting of <see cref="WebhookOptions"/> and reports all problems at once.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            problems.Add($"{WorkloadIdentityEnvironment.TenantId} is required: set it to the Microsoft Entra tenant ID injected into pods whose service account names none");
        }

        if (options.CustomCloudProblem is { } cloudProblem)
        {
            problems.Add(cloudProblem);
        }
        else if (options.CustomCloud is null && !AzureClouds.TryGet(options.AzureEnvironment, out _)
            && !(CustomCloud.IsCustom(options.AzureEnvironment) && !string.IsNullOrWhiteSpace(options.AzureAuthorityHost)))
        {
            problems.Add($"{WorkloadIdentityEnvironment.Environment}: {AzureClouds.UnknownCloudMessage(options.AzureEnvironment!)}");
        }

        if (!string.IsNullOrWhiteSpace(options.AzureAuthorityHost)
            && (!Uri.TryCreate(options.AzureAuthorityHost.Trim(), UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{WorkloadIdentityEnvironment.AuthorityHost} \"{options.AzureAuthorityHost}\" is not an https URL such as https://login.microsoftonline.com/; leave it empty to use the cloud's");
        }

        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"--port {options.Port} is not a port number (0-65535)");
        }

        if (options.TlsProtocols is null)
        {
            problems.Add($"--tls-min-version \"{options.TlsMinVersion}\" is not supported; use 1.3 (default) or 1.2");
        }

        if (!ListenAddress.TryParse(options.HealthAddr, out var health))
        {
            problems.Add($"--health-addr \"{options.HealthAddr}\" is not a listen address such as :9440 or 127.0.0.1:9440");
        }

        if (!ListenAddress.TryParse(options.MetricsAddr, out var metrics))
        {
            problems.Add($"--metrics-addr \"{options.MetricsAddr}\" is not a listen address such as :8095 or 127.0.0.1:8095");
        }

        var ports = new[] { options.Port, health?.Port ?? 0, metrics?.Port ?? 0 }.Where(p => p != 0).ToArray();
        if (ports.Length != ports.Distinct().Count())
        {
            problems.Add("--port, --health-addr and --metrics-addr must use different ports");
        }

        if (string.IsNullOrWhiteSpace(options.WebhookCertDir))
        {
            problems.Add("--webhook-cert-dir must name the directory holding tls.crt and tls.key");
        }

        if (string.IsNullOrWhiteSpace(options.ProxyImageRegistry) || options.ProxyImageRegistry.EndsWith('/'))
        {
            problems.Add($"--proxy-image-registry \"{options.ProxyImageRegistry}\" must be a registry path without a trailing slash");
        }

        if (string.IsNullOrWhiteSpace(options.ProxyImageVersion) || options.ProxyImageVersion.Contains(':', StringComparison.Ordinal))
        {
            problems.Add($"--proxy-image-version \"{options.ProxyImageVersion}\" must be an image tag");
        }

        if (!ProxySidecarModes.IsValid(options.ProxySidecarMode))
        {
            problems.Add($"--proxy-sidecar-mode \"{options.ProxySidecarMode}\" is not supported; use auto (default), native or container");
        }

        foreach (var (variable, image) in new[] { (WorkloadIdentityEnvironment.ProxyImage, options.ProxyImage), (WorkloadIdentityEnvironment.ProxyInitImage, options.ProxyInitImage) })
        {
            if (!string.IsNullOrEmpty(image) && image.Any(char.IsWhiteSpace))
            {
                problems.Add($"{variable} \"{image}\" is not an image reference; set a full reference such as registry.example/proxy:v1 or leave it unset");
            }
        }

        if (options.MinimumLevel is null)
        {
            problems.Add($"--log-level \"{options.LogLevel}\" is not supported; use {LogLevelNames.Supported}");
        }

        if (!ConsoleLogging.IsSupported(options.LogFormat))
        {
            problems.Add($"--log-format \"{options.LogFormat}\" is not supported; use {ConsoleLogging.Supported}");
        }

        if (options.TimeoutSeconds is < 1 or > 30)
        {
            problems.Add($"--webhook-timeout-seconds {options.TimeoutSeconds} is out of range; pass the timeoutSeconds of the MutatingWebhookConfiguration (1-30)");
        }

        if (options.CertificatePollInterval <= TimeSpan.Zero)
        {
            problems.Add($"{WebhookOptions.SectionName}__{nameof(options.CertificatePollInterval)} must be positive");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
