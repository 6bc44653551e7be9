using System.Diagnostics.CodeAnalysis;

namespace AzureWorkloadIdentity.Core;

/// <summary>Looks clouds up by the names <c>AZURE_ENVIRONMENT</c> and <c>--azure-env</c> accept.</summary>
public static class AzureClouds
{
    private static readonly Dictionary<string, AzureCloud> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzurePublicCloud"] = AzureCloud.Public,
        ["AzureCloud"] = AzureCloud.Public,
        ["AzureChinaCloud"] = AzureCloud.China,
        ["AzureUSGovernmentCloud"] = AzureCloud.USGovernment,
        ["AzureUSGovernment"] = AzureCloud.USGovernment,
        ["AzureGermanCloud"] = AzureCloud.Germany,
    };

    /// <summary>The names accepted, for error messages and help text.</summary>
    public static IReadOnlyCollection<string> Names { get; } = ByName.Keys.ToArray();

    /// <summary>The cloud used when no name is given.</summary>
    public static AzureCloud Default => AzureCloud.Public;

    /// <summary>Finds a cloud by name, ignoring case; an empty name means <see cref="Default"/>.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out AzureCloud? cloud)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            cloud = Default;
            return true;
        }

        return ByName.TryGetValue(name.Trim(), out cloud);
    }

    /// <summary>The error text for an unknown cloud name, naming the accepted ones.</summary>
    public static string UnknownCloudMessage(string name) =>
        $"unknown Azure cloud \"{name}\"; use one of: {string.Join(", ", Names)}, or {CustomCloud.Name} with AZURE_ENVIRONMENT_FILEPATH";
}
