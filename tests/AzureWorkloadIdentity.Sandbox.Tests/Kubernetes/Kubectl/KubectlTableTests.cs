using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// Server-side printing: kubectl asks for <c>Table</c> responses and prints the columns the server defines, so
/// <c>kubectl get</c>, <c>get -o wide</c> and <c>get -w</c> show kube-apiserver's columns for the kinds we use.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlTableTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetPods_WithContainerStates_PrintsReadyStatusRestartsAndWideColumns(string version)
    {
        var ns = KubectlSandbox.NewNamespace("table-pods");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TwoContainerPod, "apply", "-n", ns, "-f", "-")).Succeeded();
        var twentyMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-20).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        sandbox.Host.Kubernetes.Store.Patch(ResourceCatalog.Pods, ns, "web", pod =>
        {
            pod["spec"]!["nodeName"] = "sandbox-node";
            pod["status"] = JsonNode.Parse("""
                {"phase":"Running","podIP":"10.1.2.3","containerStatuses":[
                  {"name":"app","ready":true,"restartCount":0,"state":{"running":{}}},
                  {"name":"sidecar","ready":false,"restartCount":2,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
                   "lastState":{"terminated":{"exitCode":1,"finishedAt":"FINISHED"}}}]}
                """.Replace("FINISHED", twentyMinutesAgo, StringComparison.Ordinal));
            return pod;
        });

        var plain = Lines((await sandbox.KubectlAsync(version, "get", "pods", "-n", ns)).Succeeded());
        var wide = Lines((await sandbox.KubectlAsync(version, "get", "pod", "web", "-n", ns, "-o", "wide")).Succeeded());

        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], plain[0]);
        Assert.Equal(["web", "1/2", "CrashLoopBackOff", "2", "(20m", "ago)"], plain[1][..6]);
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"], wide[0]);
        Assert.Equal(["10.1.2.3", "sandbox-node", "<none>", "<none>"], wide[1][^4..]);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Get_SecretsServiceAccountsNamespaces_PrintsTheirColumns(string version)
    {
        var ns = KubectlSandbox.NewNamespace("table-core");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "secret", "generic", "creds", "-n", ns, "--from-literal=a=1", "--from-literal=b=2")).Succeeded();
        (await sandbox.KubectlAsync(version, "create", "configmap", "settings", "-n", ns, "--from-literal=a=1")).Succeeded();

        var secrets = Lines((await sandbox.KubectlAsync(version, "get", "secrets", "-n", ns)).Succeeded());
        var maps = Lines((await sandbox.KubectlAsync(version, "get", "configmap", "settings", "-n", ns)).Succeeded());
        var accounts = Lines((await sandbox.KubectlAsync(version, "get", "sa", "-n", ns)).Succeeded());
        var namespaces = Lines((await sandbox.KubectlAsync(version, "get", "namespace", ns)).Succeeded());

        Assert.Equal(["NAME", "TYPE", "DATA", "AGE"], secrets[0]);
        Assert.Equal(["creds", "Opaque", "2"], secrets[1][..3]);
        Assert.Equal(["NAME", "DATA", "AGE"], maps[0]);
        Assert.Equal(["settings", "1"], maps[1][..2]);
        Assert.Equal(["NAME", "SECRETS", "AGE"], accounts[0]);
        Assert.Equal(["default", "0"], accounts[1][..2]);
        Assert.Equal(["NAME", "STATUS", "AGE"], namespaces[0]);
        Assert.Equal([ns, "Active"], namespaces[1][..2]);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetDeployments_Wide_PrintsReplicaColumnsContainersAndSelector(string version)
    {
        var ns = KubectlSandbox.NewNamespace("table-deploy");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.Deployment("web", 2), "apply", "-n", ns, "-f", "-")).Succeeded();

        var wide = Lines((await sandbox.KubectlAsync(version, "get", "deploy", "-n", ns, "-o", "wide")).Succeeded());

        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], wide[0]);
        Assert.Equal("web", wide[1][0]);
        Assert.EndsWith("/2", wide[1][1], StringComparison.Ordinal);
        Assert.Equal(["nginx", "nginx:1.27", "app=web"], wide[1][^3..]);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetWatch_ObjectAddedLater_PrintsItsRow(string version)
    {
        var ns = KubectlSandbox.NewNamespace("table-watch");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        using var watch = sandbox.Start(KubectlBinary.Find(version), "get", "serviceaccounts", "-n", ns, "-w");
        try
        {
            var header = await watch.StandardOutput.ReadLineAsync();
            var first = await watch.StandardOutput.ReadLineAsync();
            (await sandbox.KubectlAsync(version, "create", "serviceaccount", "late", "-n", ns)).Succeeded();
            var added = await watch.StandardOutput.ReadLineAsync();

            Assert.Equal(["NAME", "SECRETS", "AGE"], Split(header!));
            Assert.Equal(["default", "0"], Split(first!)[..2]);
            Assert.Equal(["late", "0"], Split(added!)[..2]);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    private static List<string[]> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Split)];

    private static string[] Split(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private const string TwoContainerPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: app
            image: nginx
          - name: sidecar
            image: busybox
        """;
}
