using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>One fixture file: input pod, service account and settings, and the expected outcome.</summary>
internal sealed class MutationFixture
{
    private MutationFixture(string name, JsonObject document)
    {
        Name = name;
        Document = document;
    }

    public string Name { get; }

    public JsonObject Document { get; }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Mutation", "Fixtures");

    public JsonObject Pod => (JsonObject)Document["pod"]!.DeepClone();

    public JsonObject Expect => (JsonObject)Document["expect"]!;

    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static MutationFixture Load(string name) =>
        new(name, (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")))!);

    public ServiceAccountIdentity ServiceAccount()
    {
        var account = (JsonObject)Document["serviceAccount"]!;
        return new ServiceAccountIdentity(
            "apps",
            "sa",
            ToDictionary(account["labels"] as JsonObject),
            ToDictionary(account["annotations"] as JsonObject));
    }

    public MutationOptions Options()
    {
        var options = TestMutationOptions.Default;
        if (Document["options"] is JsonObject overrides)
        {
            options = options with
            {
                Audience = (string?)overrides["audience"] ?? options.Audience,
                AuthorityHost = (string?)overrides["authorityHost"] ?? options.AuthorityHost,
                ProxyImage = (string?)overrides["proxyImage"] ?? options.ProxyImage,
                ProxyInitImage = (string?)overrides["proxyInitImage"] ?? options.ProxyInitImage,
                NativeSidecar = (bool?)overrides["nativeSidecar"] ?? options.NativeSidecar,
                LogLevel = (string?)overrides["logLevel"] ?? options.LogLevel,
            };
        }

        return options;
    }

    private static Dictionary<string, string> ToDictionary(JsonObject? values) =>
        values?.ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal) ?? [];
}
