namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// The real kubectl against the sandbox's authentication and RBAC: <c>auth can-i</c> as a service account
/// (<c>--as</c>) once a Role and RoleBinding are applied, the 403 kubectl prints for a forbidden read, the 401 for a
/// token the server does not accept, and <c>auth whoami</c>.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlAuthTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task AuthCanI_AsServiceAccount_FollowsTheAppliedRole(string version)
    {
        var ns = await NamespaceWithReaderAsync(version, "canis");
        var account = $"--as=system:serviceaccount:{ns}:app";

        var before = await sandbox.KubectlAsync(version, "auth", "can-i", "list", "secrets", "-n", ns, account);
        var configMaps = await sandbox.KubectlAsync(version, "auth", "can-i", "get", "configmaps", "-n", ns, account);
        var elsewhere = await sandbox.KubectlAsync(version, "auth", "can-i", "get", "configmaps", "-n", "default", account);
        var list = (await sandbox.KubectlAsync(version, "auth", "can-i", "--list", "-n", ns, account)).Succeeded();

        Assert.Equal(("no", 1), (before.Output.Trim(), before.ExitCode));
        Assert.Equal("yes", configMaps.Succeeded().Trim());
        Assert.Equal(("no", 1), (elsewhere.Output.Trim(), elsewhere.ExitCode));
        Assert.Contains(list.Split('\n'), line => line.StartsWith("configmaps ", StringComparison.Ordinal) && line.Contains("[get list]", StringComparison.Ordinal));
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetSecret_WithServiceAccountToken_PrintsTheUpstreamForbiddenError(string version)
    {
        var ns = await NamespaceWithReaderAsync(version, "forbid");
        (await sandbox.KubectlAsync(version, "create", "secret", "generic", "creds", "-n", ns, "--from-literal=k=v")).Succeeded();
        var token = (await sandbox.KubectlAsync(version, "create", "token", "app", "-n", ns)).Succeeded().Trim();
        var kubeconfig = WriteKubeconfig(ns, token);

        var configMaps = await sandbox.KubectlAsync(version, "--kubeconfig", kubeconfig, "get", "configmaps", "-n", ns);
        var secret = await sandbox.KubectlAsync(version, "--kubeconfig", kubeconfig, "get", "secret", "creds", "-n", ns);

        Assert.Equal(0, configMaps.ExitCode);
        Assert.Equal(1, secret.ExitCode);
        Assert.Contains(
            $"Error from server (Forbidden): secrets \"creds\" is forbidden: User \"system:serviceaccount:{ns}:app\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{ns}\"",
            secret.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Get_WithATokenTheServerDoesNotAccept_IsUnauthorized(string version)
    {
        var kubeconfig = WriteKubeconfig("default", "not-a-valid-token");

        var result = await sandbox.KubectlAsync(version, "--kubeconfig", kubeconfig, "get", "pods");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: You must be logged in to the server (Unauthorized)", result.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task AuthWhoami_AsAdminAndAsServiceAccount_NamesTheUser(string version)
    {
        var admin = (await sandbox.KubectlAsync(version, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}")).Succeeded();
        var account = (await sandbox.KubectlAsync(version, "auth", "whoami", "--as=system:serviceaccount:default:default")).Succeeded();

        Assert.Equal("kubernetes-admin [\"system:masters\",\"system:authenticated\"]", admin.Trim());
        Assert.Contains("system:serviceaccount:default:default", account, StringComparison.Ordinal);
        Assert.Contains("system:serviceaccounts:default", account, StringComparison.Ordinal);
    }

    /// <summary>A namespace with a service account <c>app</c> that a Role, applied with kubectl, lets read config maps.</summary>
    private async Task<string> NamespaceWithReaderAsync(string version, string prefix)
    {
        var ns = KubectlSandbox.NewNamespace(prefix);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "serviceaccount", "app", "-n", ns)).Succeeded();
        var manifest = $"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: config-reader
              namespace: {ns}
            rules:
            - apiGroups: [""]
              resources: ["configmaps"]
              verbs: ["get", "list"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: app-reads-config
              namespace: {ns}
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: config-reader
            subjects:
            - kind: ServiceAccount
              name: app
              namespace: {ns}
            """;
        (await sandbox.KubectlWithInputAsync(version, manifest, "apply", "-f", "-")).Succeeded();
        return ns;
    }

    private string WriteKubeconfig(string ns, string token)
    {
        var path = Path.Combine(sandbox.Folder, "kubeconfig-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, sandbox.Host.Kubernetes.KubeconfigYaml(ns, token));
        return path;
    }
}
