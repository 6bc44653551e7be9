namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// <c>--subscription-id</c>, or the subscription selected in the Azure CLI (<c>~/.azure/config</c> names the cloud,
/// <c>~/.azure/clouds.config</c> holds its subscription), as the original does.
/// </summary>
internal static class SubscriptionResolver
{
    public static (string SubscriptionId, bool FromAzureCli) Resolve(string? flag, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (Guid.TryParse(flag, out _))
        {
            return (flag!, false);
        }

        var configDirectory = getEnvironmentVariable("AZURE_CONFIG_DIR")
            ?? Path.Combine(getEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".azure");
        var cloud = ReadIni(Path.Combine(configDirectory, "config"), "cloud", "name") ?? "AzureCloud";
        var subscription = ReadIni(Path.Combine(configDirectory, "clouds.config"), cloud, "subscription");
        if (!Guid.TryParse(subscription, out _))
        {
            throw new CliUsageException(
                "--subscription-id is required (and must be a valid UUID): pass it, or select one with 'az account set'");
        }

        return (subscription!, true);
    }

    private static string? ReadIni(string path, string section, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string? current = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line[1..^1].Trim();
            }
            else if (string.Equals(current, section, StringComparison.OrdinalIgnoreCase) && line.Split('=', 2) is [var k, var v]
                && string.Equals(k.Trim(), key, StringComparison.OrdinalIgnoreCase))
            {
                return v.Trim();
            }
        }

        return null;
    }
}
