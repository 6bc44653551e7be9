using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl apply -f</c> (create, then change and re-apply: a strategic merge patch with the last-applied
/// annotation), <c>kubectl patch</c> with JSON patch and JSON merge patch, and the refusal of server-side apply.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlApplyTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    private const string Original = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: main
                image: nginx:1
                env:
                - {name: A, value: "1"}
                - {name: B, value: "2"}
                ports: [{containerPort: 80}]
                volumeMounts: [{name: data, mountPath: /data}]
              - name: side
                image: busybox
              volumes: [{name: data, emptyDir: {}}]
        """;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Apply_ChangedManifest_MergesContainersAndEnvByName(string version)
    {
        var ns = KubectlSandbox.NewNamespace("apply");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        var changed = Original.Replace("value: \"1\"", "value: \"one\"", StringComparison.Ordinal)
            .Replace("nginx:1", "nginx:2", StringComparison.Ordinal)
            .Replace("        - {name: B, value: \"2\"}\n", "        - {name: C, value: \"3\"}\n", StringComparison.Ordinal);

        Assert.Contains("created", (await sandbox.KubectlWithInputAsync(version, Original, "apply", "-n", ns, "-f", "-")).Succeeded(), StringComparison.Ordinal);
        var server = sandbox.Host.Kubernetes.Store;
        var type = DeploymentType(sandbox);
        // A controller's change the manifest does not mention must survive the re-apply.
        server.Patch(type, ns, "web", d => StrategicMergePatch.Apply(d, new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["annotations"] = new System.Text.Json.Nodes.JsonObject { ["controller/seen"] = "yes" } },
        }));
        Assert.Contains("configured", (await sandbox.KubectlWithInputAsync(version, changed, "apply", "-n", ns, "-f", "-")).Succeeded(), StringComparison.Ordinal);
        var containers = (await sandbox.KubectlAsync(version, "get", "deploy", "web", "-n", ns, "-o",
            "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image}:{range .env[*]}{.name}{.value},{end}:{.volumeMounts[0].mountPath};{end}")).Succeeded();
        var annotation = (await sandbox.KubectlAsync(version, "get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.annotations.controller/seen}")).Succeeded();

        Assert.Equal("main=nginx:2:Aone,C3,:/data;side=busybox::;", containers);
        Assert.Equal("yes", annotation);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Patch_JsonPatchAndMergePatch_Applied(string version)
    {
        var ns = KubectlSandbox.NewNamespace("patch");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, Original, "apply", "-n", ns, "-f", "-")).Succeeded();

        (await sandbox.KubectlAsync(version, "patch", "deploy", "web", "-n", ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]""")).Succeeded();
        (await sandbox.KubectlAsync(version, "patch", "deploy", "web", "-n", ns, "--type=merge", "-p", """{"spec":{"paused":true}}""")).Succeeded();
        var result = (await sandbox.KubectlAsync(version, "get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.replicas} {.spec.paused}")).Succeeded();

        Assert.Equal("3 true", result);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Apply_ServerSide_RefusedNamingClientSideApply(string version)
    {
        var ns = KubectlSandbox.NewNamespace("ssa");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();

        var refused = await sandbox.KubectlWithInputAsync(version, Original, "apply", "--server-side", "-n", ns, "-f", "-");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("use kubectl apply without --server-side", refused.Error, StringComparison.Ordinal);
    }

    private static ResourceType DeploymentType(KubectlSandbox sandbox) =>
        sandbox.Host.Kubernetes.Catalog.TryGet("apps", "v1", "deployments", out var type) ? type : throw new InvalidOperationException("no deployments");
}
