using System.Security.Authentication;
using AzureWorkloadIdentity.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>Checks every setting and reports all problems at once.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static List<string> Problems(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>(options.CommandLineErrors);
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            problems.Add($"{WorkloadIdentityEnvironment.TenantId} is required: set it to the Microsoft Entra tenant ID injected into pods whose service account names none");
        }

        if (options.CustomCloudProblem is { } cloudProblem)
        {
            problems.Add(cloudProblem);
        }
        else if (options.CustomCloud is null && !AzureClouds.TryGet(options.AzureEnvironment, out _))
        {
            problems.Add($"{WorkloadIdentityEnvironment.Environment}: {AzureClouds.UnknownCloudMessage(options.AzureEnvironment!)}");
        }

        if (options.Port is < 0 or > 65535)
        {
            problems.Add($"--port {options.Port} is not a port number (0-65535)");
        }

        if (TlsProtocols(options.TlsMinVersion) is null)
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

        if (LogLevel(options.LogLevel) is null)
        {
            problems.Add($"--log-level \"{options.LogLevel}\" is not supported; use {LogLevelNames.Supported}");
        }

        if (options.LogFormat is not ("text" or "json"))
        {
            problems.Add($"--log-format \"{options.LogFormat}\" is not supported; use text or json");
        }

        if (options.CertificatePollInterval <= TimeSpan.Zero)
        {
            problems.Add("the certificate poll interval must be positive");
        }

        return problems;
    }

    /// <summary>The protocols allowed for a minimum version, or null when the version is not supported.</summary>
    public static SslProtocols? TlsProtocols(string? minimum) => minimum switch
    {
        "1.3" => SslProtocols.Tls13,
        "1.2" => SslProtocols.Tls12 | SslProtocols.Tls13,
        _ => null,
    };

    /// <summary>The log level a <c>--log-level</c> value means, or null when unknown.</summary>
    public static LogLevel? LogLevel(string? level) => LogLevelNames.Parse(level);
}
