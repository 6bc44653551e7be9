using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>
/// Creates with <c>metadata.generateName</c>: a generated name that is taken is generated again, as kube-apiserver
/// does since 1.32 (a ReplicaSet of 1,000 pods met a taken name in the pod-burst run and stopped there); only when
/// every attempt is taken does the create answer 409.
/// </summary>
public sealed class GenerateNameTests
{
    [Fact]
    public void Create_GeneratedNameTaken_AnotherNameGenerated()
    {
        var suffixes = new Queue<string>(["aaaaa", "aaaaa", "aaaaa", "bbbbb"]);
        var store = new ObjectStore { GeneratedNameSuffix = suffixes.Dequeue };

        var first = store.Create(ResourceCatalog.Secrets, "demo", Generated("app-"));
        var second = store.Create(ResourceCatalog.Secrets, "demo", Generated("app-"));

        Assert.Equal("app-aaaaa", first.Name.Name);
        Assert.Equal("app-bbbbb", second.Name.Name);
        Assert.Equal("app-bbbbb", second.ToJsonObject()["metadata"]!["name"]!.GetValue<string>());
        Assert.Empty(suffixes);
    }

    [Fact]
    public void Create_EveryGeneratedNameTaken_AlreadyExistsAfterEightAttempts()
    {
        var attempts = 0;
        var store = new ObjectStore { GeneratedNameSuffix = () => { attempts++; return "aaaaa"; } };
        store.Create(ResourceCatalog.Secrets, "demo", Generated("app-"));
        attempts = 0;

        var error = Assert.Throws<KubernetesApiException>(() => store.Create(ResourceCatalog.Secrets, "demo", Generated("app-")));

        Assert.Equal(409, error.Code);
        Assert.Contains("\"app-aaaaa\" already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, attempts);
    }

    [Fact]
    public void Create_NameGivenAndTaken_AlreadyExistsWithoutRetry()
    {
        var store = new ObjectStore { GeneratedNameSuffix = () => throw new InvalidOperationException("a given name is never generated") };
        store.Create(ResourceCatalog.Secrets, "demo", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "fixed" } });

        var error = Assert.Throws<KubernetesApiException>(() =>
            store.Create(ResourceCatalog.Secrets, "demo", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "fixed" } }));

        Assert.Equal(409, error.Code);
    }

    private static JsonObject Generated(string prefix) =>
        new() { ["metadata"] = new JsonObject { ["generateName"] = prefix }, ["type"] = "Opaque" };
}
