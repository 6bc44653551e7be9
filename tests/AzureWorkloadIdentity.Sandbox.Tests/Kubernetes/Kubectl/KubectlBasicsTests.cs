using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// The real kubectl against the sandbox: discovery (short names, categories), the typed-client verbs that kubectl
/// 1.31+ sends as protobuf (create serviceaccount/namespace/secret, create token, auth can-i) and delete.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlBasicsTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Get_ShortNameAndAllCategory_ResolvedFromDiscovery(string version)
    {
        var ns = KubectlSandbox.NewNamespace("short");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();

        var accounts = (await sandbox.KubectlAsync(version, "get", "sa", "-n", ns, "-o", "name")).Succeeded();
        var all = await sandbox.KubectlAsync(version, "get", "all", "-n", ns);
        var resources = (await sandbox.KubectlAsync(version, "api-resources", "--no-headers")).Succeeded();

        Assert.Equal("serviceaccount/default", accounts.Trim());
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("No resources found", all.Error, StringComparison.Ordinal);
        Assert.Contains(resources.Split('\n'), line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["deployments", "deploy", "apps/v1", "true", "Deployment"]);
        Assert.Contains(resources.Split('\n'), line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["poddisruptionbudgets", "pdb", "policy/v1", "true", "PodDisruptionBudget"]);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Create_ServiceAccountNamespaceSecret_StoredWithTheirFields(string version)
    {
        var ns = KubectlSandbox.NewNamespace("create");

        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "serviceaccount", "app", "-n", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret")).Succeeded();
        (await sandbox.KubectlAsync(version, "label", "serviceaccount", "app", "-n", ns, "team=blue")).Succeeded();

        var store = sandbox.Host.Kubernetes.Store;
        Assert.Equal("Active", store.Get(ResourceCatalog.Namespaces, null, ns).ToJsonObject()["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("blue", store.Get(ResourceCatalog.ServiceAccounts, ns, "app").Labels["team"]);
        var secret = store.Get(ResourceCatalog.Secrets, ns, "creds").ToJsonObject();
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["password"]!.GetValue<string>())));
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task CreateToken_WithAudienceAndDuration_IssuesTokenForThatAccount(string version)
    {
        var ns = KubectlSandbox.NewNamespace("token");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "serviceaccount", "workload", "-n", ns)).Succeeded();

        var token = (await sandbox.KubectlAsync(version, "create", "token", "workload", "-n", ns, "--audience", "api://AzureADTokenExchange", "--duration", "2h")).Succeeded().Trim();

        var payload = token.Split('.')[1];
        var claims = JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=').Replace('-', '+').Replace('_', '/')))!;
        Assert.Equal($"system:serviceaccount:{ns}:workload", claims["sub"]!.GetValue<string>());
        Assert.Equal("api://AzureADTokenExchange", claims["aud"]!.AsArray().Single()!.GetValue<string>());
        Assert.Equal(7200, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task AuthCanI_AsSandboxAdmin_AnswersYes(string version)
    {
        var answer = await sandbox.KubectlAsync(version, "auth", "can-i", "create", "pods", "-n", "default");

        Assert.Equal("yes", answer.Succeeded().Trim());
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Delete_NamespaceWithWait_RemovesItAndItsObjects(string version)
    {
        var ns = KubectlSandbox.NewNamespace("delete");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "serviceaccount", "doomed", "-n", ns)).Succeeded();

        (await sandbox.KubectlAsync(version, "delete", "serviceaccount", "doomed", "-n", ns, "--wait")).Succeeded();
        (await sandbox.KubectlAsync(version, "delete", "namespace", ns, "--wait")).Succeeded();
        var missing = await sandbox.KubectlAsync(version, "get", "namespace", ns);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"namespaces \"{ns}\" not found", missing.Error, StringComparison.Ordinal);
        Assert.Empty(sandbox.Host.Kubernetes.Store.List(ResourceCatalog.ServiceAccounts, ns).Items);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DryRunServer_CreateLabelDelete_NothingChanges(string version)
    {
        var ns = KubectlSandbox.NewNamespace("dryrun");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();

        var created = (await sandbox.KubectlAsync(version, "create", "serviceaccount", "ghost", "-n", ns, "--dry-run=server")).Succeeded();
        (await sandbox.KubectlAsync(version, "label", "serviceaccount", "default", "-n", ns, "team=red", "--dry-run=server")).Succeeded();
        (await sandbox.KubectlAsync(version, "delete", "serviceaccount", "default", "-n", ns, "--dry-run=server")).Succeeded();

        Assert.Contains("serviceaccount/ghost created (server dry run)", created, StringComparison.Ordinal);
        var accounts = sandbox.Host.Kubernetes.Store.List(ResourceCatalog.ServiceAccounts, ns).Items;
        Assert.Equal("default", Assert.Single(accounts).Name.Name);
        Assert.DoesNotContain("team", accounts[0].Labels.Keys);
    }
}
