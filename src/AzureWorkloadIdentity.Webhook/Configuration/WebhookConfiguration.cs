using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>Every validated setting of the webhook, one options object per configuration section.</summary>
public sealed record WebhookConfiguration(
    WebhookOptions Webhook,
    ServiceAccountCacheOptions ServiceAccountCache,
    CertificateRotationOptions CertificateRotation)
{
    /// <summary>
    /// Reads the settings: <paramref name="configuration"/> holds the environment; the aliases of
    /// <see cref="WebhookSettings"/> and then the flags in <paramref name="args"/> are added to it, the values are
    /// checked, bound and validated. Throws <see cref="StartupException"/> naming every problem.
    /// </summary>
    public static WebhookConfiguration Load(ConfigurationManager configuration, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var table = WebhookSettings.Table;
        var problems = table.Apply(configuration, args);
        var webhook = new WebhookOptions();
        if (problems.Bind(() => configuration.GetSection(WebhookOptions.SectionName).Bind(webhook)))
        {
            ReadCustomCloud(webhook);
            problems.Validate(new WebhookOptionsValidator(), webhook);
        }

        var cache = new ServiceAccountCacheOptions();
        if (problems.Bind(() => configuration.GetSection(ServiceAccountCacheOptions.SectionName).Bind(cache)))
        {
            problems.Validate(new ServiceAccountCacheOptionsValidator(), cache);
        }

        var rotation = new CertificateRotationOptions { CertDir = webhook.WebhookCertDir, Enabled = !webhook.DisableCertRotation };
        if (problems.Bind(() => configuration.GetSection(CertificateRotationOptions.SectionName).Bind(rotation)) && rotation.Enabled)
        {
            problems.Validate(new CertificateRotationOptionsValidator(), rotation);
        }

        // In a pod the kubelet projects the Secret into the cert dir; outside one the webhook writes the files itself.
        rotation.WriteCertificateFiles ??= !webhook.InCluster;
        return problems.Count > 0 ? throw new StartupException(table.Program, problems) : new WebhookConfiguration(webhook, cache, rotation);
    }

    private static void ReadCustomCloud(WebhookOptions options)
    {
        if (!CustomCloud.IsCustom(options.AzureEnvironment))
        {
            return;
        }

        var variable = WorkloadIdentityEnvironment.EnvironmentFilePath;
        var path = options.AzureEnvironmentFilePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            options.CustomCloudProblem = $"{variable} is required with {WorkloadIdentityEnvironment.Environment}={CustomCloud.Name}: set it to the cloud's JSON file";
            return;
        }

        try
        {
            options.CustomCloud = CustomCloud.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            options.CustomCloudProblem = $"{variable} \"{path}\": {e.Message}";
        }
    }
}
