using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>The proxy containers serialised once per port give the same JSON as building them for every pod.</summary>
public sealed class InjectedContainerTests
{
    private static readonly MutationOptions Options = TestMutationOptions.Default;

    public static TheoryData<int, string?, string?> Cases() => new()
    {
        { 8000, "client-1", null },
        { 1, "client-1", "tenant-from-account" },
        { 65535, null, null },
        { 9000, null, "tenant-from-account" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithIdentity_ProxyContainers_MatchFreshlyBuiltOnes(int port, string? clientId, string? tenantId)
    {
        var environment = IdentityEnvironment.Create(Account(clientId, tenantId), Options);
        var cached = ProxyContainers.Create(Options, port);

        AssertSameJson(BuildWithIdentity(ProxySidecarRule.CreateInitContainer(Options, port), environment), cached.InitContainer.WithIdentity(environment));
        AssertSameJson(BuildWithIdentity(ProxySidecarRule.CreateSidecar(Options, port), environment), cached.Sidecar.WithIdentity(environment));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(1)]
    [InlineData(65535)]
    public void Plain_ProxyContainers_MatchFreshlyBuiltOnes(int port)
    {
        var cached = ProxyContainers.Create(Options, port);

        AssertSameJson(PatchValue.From(ProxySidecarRule.CreateInitContainer(Options, port)), cached.InitContainer.Plain.ToArray());
        AssertSameJson(PatchValue.From(ProxySidecarRule.CreateSidecar(Options, port)), cached.Sidecar.Plain.ToArray());
        Assert.Equal("azwi-proxy-init", cached.InitContainer.Name);
        Assert.Equal("azwi-proxy", cached.Sidecar.Name);
    }

    [Fact]
    public void WithIdentity_ContainerDefiningAVariable_KeepsItsOwnEntryOnly()
    {
        var container = new JsonObject
        {
            ["name"] = "own",
            ["env"] = new JsonArray(new JsonObject { ["name"] = "AZURE_TENANT_ID", ["value"] = "mine" }, "not-an-entry"),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/data" }),
        };
        var environment = IdentityEnvironment.Create(Account("client-1", null), Options);

        var json = InjectedContainer.Create(container).WithIdentity(environment);

        AssertSameJson(BuildWithIdentity(container, environment), json);
        var env = (JsonArray)JsonNode.Parse(json)!["env"]!;
        Assert.Single(env, entry => entry is JsonObject named && (string?)named["name"] == "AZURE_TENANT_ID");
        Assert.Equal(5, env.Count);
    }

    [Fact]
    public void WithIdentity_ContainerAlreadyMountingTheToken_AddsNoSecondMount()
    {
        var container = new JsonObject
        {
            ["name"] = "mounted",
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "azure-identity-token", ["mountPath"] = "/elsewhere" }),
        };
        var environment = IdentityEnvironment.Create(Account("client-1", null), Options);

        var json = InjectedContainer.Create(container).WithIdentity(environment);

        AssertSameJson(BuildWithIdentity(container, environment), json);
        Assert.Single((JsonArray)JsonNode.Parse(json)!["volumeMounts"]!);
    }

    [Fact]
    public void Create_ContainerWithoutName_Throws() =>
        Assert.Throws<ArgumentException>(() => InjectedContainer.Create(new JsonObject { ["image"] = "x" }));

    private static ServiceAccountIdentity Account(string? clientId, string? tenantId)
    {
        var annotations = new Dictionary<string, string>();
        if (clientId is not null)
        {
            annotations["azure.workload.identity/client-id"] = clientId;
        }

        if (tenantId is not null)
        {
            annotations["azure.workload.identity/tenant-id"] = tenantId;
        }

        return new ServiceAccountIdentity("apps", "sa", new Dictionary<string, string>(), annotations);
    }

    /// <summary>How the webhook built an injected container for every pod before it was cached: add, then serialise.</summary>
    private static byte[] BuildWithIdentity(JsonObject built, IdentityEnvironment environment)
    {
        var container = (JsonObject)built.DeepClone();
        if (container["env"] is not JsonArray env)
        {
            env = [];
            container["env"] = env;
        }

        foreach (var variable in environment.Variables)
        {
            if (!env.Any(entry => entry is JsonObject named && named["name"] is JsonValue name && name.TryGetValue<string>(out var text) && text == variable.Name))
            {
                env.Add(JsonNode.Parse(variable.Json.Span));
            }
        }

        TokenMountRule.ApplyTo(container);
        return PatchValue.From(container);
    }

    private static void AssertSameJson(byte[] expected, byte[] actual) =>
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
}
