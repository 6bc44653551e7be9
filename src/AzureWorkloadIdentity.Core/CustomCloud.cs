using System.Text.Json;

namespace AzureWorkloadIdentity.Core;

/// <summary>
/// A cloud described by a JSON file (<c>AZURE_ENVIRONMENT=AzureStackCloud</c> with <c>AZURE_ENVIRONMENT_FILEPATH</c>),
/// in the key names of the Azure environment files the original tools read: <c>activeDirectoryEndpoint</c>,
/// <c>resourceManagerEndpoint</c>, <c>microsoftGraphEndpoint</c> (or <c>graphEndpoint</c>), <c>keyVaultDNSSuffix</c>.
/// This is how the product is pointed at Azure Stack or at the sandbox.
/// </summary>
public static class CustomCloud
{
    /// <summary>The <c>AZURE_ENVIRONMENT</c> name that selects a custom cloud.</summary>
    public const string Name = "AzureStackCloud";

    public static bool IsCustom(string? name) => string.Equals(name?.Trim(), Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the file's text; throws <see cref="FormatException"/> naming what is missing or wrong.</summary>
    public static AzureCloud Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the custom cloud file is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the custom cloud file must hold a JSON object");
            }

            var name = Text(root, "name") ?? Name;
            var authority = Endpoint(root, "activeDirectoryEndpoint", required: true)!;
            var resourceManager = Endpoint(root, "resourceManagerEndpoint", required: true)!;
            var graph = Endpoint(root, "microsoftGraphEndpoint", required: false) ?? Endpoint(root, "graphEndpoint", required: false)
                ?? new Uri("https://graph.microsoft.com/");
            var suffix = Text(root, "keyVaultDNSSuffix");
            var keyVault = suffix is null ? AzureCloud.Public.KeyVaultResource : "https://" + suffix.Trim('.');
            return new AzureCloud(name, authority, resourceManager, graph, keyVault);
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static Uri? Endpoint(JsonElement root, string property, bool required)
    {
        var text = Text(root, property);
        if (text is null)
        {
            return required ? throw new FormatException($"the custom cloud file has no \"{property}\"") : null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"\"{property}\" in the custom cloud file must be an https URL, not \"{text}\"");
        }

        // Authority hosts are injected with their trailing slash, as the public clouds' are.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
