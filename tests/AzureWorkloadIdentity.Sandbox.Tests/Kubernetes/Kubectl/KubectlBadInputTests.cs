namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>What kubectl prints for bad input against the sandbox: the same one-line errors as against a real cluster.</summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlBadInputTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Apply_MalformedYaml_ErrorLineAndNothingCreated(string version)
    {
        var ns = await NamespaceAsync(version, "bad-yaml");

        var result = await sandbox.KubectlWithInputAsync(version, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n data: [\n", "apply", "-n", ns, "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error converting YAML to JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("configmaps \"broken\" not found", (await sandbox.KubectlAsync(version, "get", "configmap", "broken", "-n", ns)).Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Get_UnknownResourceType_ServerHasNoSuchType(string version)
    {
        var result = await sandbox.KubectlAsync(version, "get", "widgets");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the server doesn't have a resource type \"widgets\"", result.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Get_MalformedLabelSelector_BadRequestFromServer(string version)
    {
        var ns = await NamespaceAsync(version, "bad-selector");

        var result = await sandbox.KubectlAsync(version, "get", "configmaps", "-n", ns, "-l", "team in (red");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error from server (BadRequest):", result.Error.Trim(), StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Replace_StaleResourceVersion_ConflictFromServer(string version)
    {
        var ns = await NamespaceAsync(version, "bad-conflict");
        (await sandbox.KubectlAsync(version, "create", "configmap", "settings", "-n", ns, "--from-literal=a=1")).Succeeded();
        var stale = (await sandbox.KubectlAsync(version, "get", "configmap", "settings", "-n", ns, "-o", "yaml")).Succeeded();
        (await sandbox.KubectlAsync(version, "label", "configmap", "settings", "-n", ns, "team=red")).Succeeded();

        var result = await sandbox.KubectlWithInputAsync(version, stale, "replace", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (Conflict)", result.Error, StringComparison.Ordinal);
        Assert.Contains("Operation cannot be fulfilled on configmaps \"settings\": the object has been modified", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> NamespaceAsync(string version, string prefix)
    {
        var ns = KubectlSandbox.NewNamespace(prefix);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        return ns;
    }
}
