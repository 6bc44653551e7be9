using AzureWorkloadIdentity.Core;
using Microsoft.Extensions.Configuration;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>Builds <see cref="WebhookOptions"/> from configuration (flags and environment variables).</summary>
public static class WebhookOptionsReader
{
    public static WebhookOptions Read(IConfiguration configuration, IEnumerable<string> commandLineErrors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(commandLineErrors);
        var options = new WebhookOptions();
        foreach (var error in commandLineErrors)
        {
            options.CommandLineErrors.Add(error);
        }

        try
        {
            configuration.GetSection(WebhookOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            // A flag value of the wrong type (e.g. --port abc): report it with the others.
            options.CommandLineErrors.Add(exception.InnerException?.Message is { } inner ? $"{exception.Message} {inner}" : exception.Message);
        }

        options.TenantId = configuration[WorkloadIdentityEnvironment.TenantId];
        options.AzureEnvironment = configuration[WorkloadIdentityEnvironment.Environment];
        options.ProxyImage = configuration[WorkloadIdentityEnvironment.ProxyImage];
        options.ProxyInitImage = configuration[WorkloadIdentityEnvironment.ProxyInitImage];
        if (CustomCloud.IsCustom(options.AzureEnvironment))
        {
            ReadCustomCloud(options, configuration[WorkloadIdentityEnvironment.EnvironmentFilePath]);
        }

        return options;
    }

    private static void ReadCustomCloud(WebhookOptions options, string? path)
    {
        var variable = WorkloadIdentityEnvironment.EnvironmentFilePath;
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
