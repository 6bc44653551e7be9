using System.Text.Json;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// The cloud azwi talks to: a public or sovereign cloud by <c>--azure-env</c> name, or a custom cloud
/// (<c>--azure-env AzureStackCloud</c>) described by the JSON file named in <c>AZURE_ENVIRONMENT_FILEPATH</c>.
/// </summary>
internal sealed record CloudSettings(AzureCloud Cloud, string GraphScope, string ResourceManagerAudience, bool IsCustom)
{
    public const string EnvironmentFileVariable = "AZURE_ENVIRONMENT_FILEPATH";

    /// <summary>Graph base URL with the API version (v1.0); an endpoint that already names a version is kept.</summary>
    public string GraphBaseUrl => Cloud.GraphEndpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1.0", StringComparison.Ordinal)
        ? Cloud.GraphEndpoint.AbsoluteUri.TrimEnd('/')
        : new Uri(Cloud.GraphEndpoint, "v1.0").AbsoluteUri;

    public string ResourceManagerScope => ResourceManagerAudience.TrimEnd('/') + "/.default";

    public static CloudSettings Resolve(string? azureEnv, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var name = string.IsNullOrWhiteSpace(azureEnv) ? AzureCloud.Public.Name : azureEnv.Trim();
        if (CustomCloud.IsCustom(name))
        {
            return ReadCustom(getEnvironmentVariable(EnvironmentFileVariable));
        }

        if (!AzureClouds.TryGet(name, out var cloud))
        {
            throw new CliUsageException(
                $"failed to parse --azure-env as a valid target Azure cloud environment: {AzureClouds.UnknownCloudMessage(name)}");
        }

        return new CloudSettings(cloud, cloud.GraphEndpoint.AbsoluteUri + ".default", cloud.ResourceManagerEndpoint.AbsoluteUri, IsCustom: false);
    }

    private static CloudSettings ReadCustom(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException(
                $"--azure-env {CustomCloud.Name} needs the custom cloud file: set {EnvironmentFileVariable} to its path");
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{EnvironmentFileVariable}: cannot read {path}: {exception.Message}");
        }

        AzureCloud cloud;
        try
        {
            cloud = CustomCloud.Parse(json);
        }
        catch (FormatException exception)
        {
            throw new CliUsageException($"{EnvironmentFileVariable} ({path}): {exception.Message}");
        }

        // Audiences differ from the endpoints for a custom cloud (the sandbox serves Graph on a loopback port but
        // issues tokens for https://graph.microsoft.com/), so read them as the Azure environment files name them.
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var armAudience = Text(root, "tokenAudience") ?? cloud.ResourceManagerEndpoint.AbsoluteUri;
        var graphAudience = root.TryGetProperty("resourceIdentifiers", out var ids) && ids.ValueKind == JsonValueKind.Object
            ? Text(ids, "microsoftGraph") ?? Text(ids, "graph")
            : null;
        graphAudience ??= cloud.GraphEndpoint.GetLeftPart(UriPartial.Authority) + "/";
        return new CloudSettings(cloud, graphAudience.TrimEnd('/') + "/.default", armAudience, IsCustom: true);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
