using System.Diagnostics;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;
using Xunit.Abstractions;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// The chart's RBAC is the least that works, against the sandbox's enforced RBAC: every rule of its ClusterRole and
/// Role (read from what helm installed) is needed — without it the webhook, running from its image with in-cluster
/// configuration, logs the verb and resource it was refused — and its service account can do nothing else, in
/// particular read no Secret but its own certificate's.
/// </summary>
[Collection("pod network")]
public sealed class LeastPrivilegeTests(ITestOutputHelper output)
{
    private const string Account = "system:serviceaccount:" + InstallWorld.SystemNamespace + ":azure-wi-webhook-admin";

    [PodNetworkFact(Timeout = 600_000)]
    public async Task HelmInstall_WebhookAccount_CanOnlyWhatTheChartGrants()
    {
        await using var world = await InstallWorld.StartAsync();
        await world.HelmInstallAsync();
        var rules = await ChartRule.ReadAsync(world.Tools);
        var answers = new List<string>();

        foreach (var rule in rules)
        {
            foreach (var verb in rule.Verbs)
            {
                foreach (var resource in rule.Resources)
                {
                    if (rule.ResourceNames.Count == 0)
                    {
                        answers.Add(await CanIAsync(world, "yes", [verb, resource, .. rule.Namespace is null ? ["-A"] : rule.Scope]));
                        continue;
                    }

                    foreach (var name in rule.ResourceNames)
                    {
                        answers.Add(await CanIAsync(world, "yes", [verb, $"{resource}/{name}", .. rule.Scope]));
                        answers.Add(await CanIAsync(world, "no", [verb, $"{resource}/another-{name}", .. rule.Scope]));
                    }

                    if (verb is "get" or "list" or "watch" && !rules.Any(r => r.ResourceNames.Count == 0 && r.Resources.Contains(resource) && r.Verbs.Contains(verb)))
                    {
                        answers.Add(await CanIAsync(world, "no", [verb == "get" ? "list" : verb, resource, .. rule.Scope]));
                    }
                }
            }
        }

        // Secrets outside its namespace, in any namespace at once, and what no rule grants.
        foreach (var ns in new[] { "default", "kube-system", "quick-start" })
        {
            foreach (var verb in new[] { "get", "list", "watch" })
            {
                answers.Add(await CanIAsync(world, "no", [verb, "secrets", "-n", ns]));
            }
        }

        answers.Add(await CanIAsync(world, "no", ["list", "secrets", "-A"]));
        answers.Add(await CanIAsync(world, "no", ["delete", "secrets", "-n", InstallWorld.SystemNamespace]));
        answers.Add(await CanIAsync(world, "no", ["create", "pods", "-n", "default"]));
        answers.Add(await CanIAsync(world, "no", ["update", "serviceaccounts", "-A"]));
        answers.Add(await CanIAsync(world, "no", ["get", "configmaps", "-n", InstallWorld.SystemNamespace]));
        answers.Add(await CanIAsync(world, "no", ["create", "mutatingwebhookconfigurations.admissionregistration.k8s.io"]));
        output.WriteLine(string.Join('\n', answers));
        Assert.Contains(rules, r => r.Kind == "ClusterRole");
        Assert.Contains(rules, r => r.Kind == "Role");
    }

    [PodNetworkFact(Timeout = 1_500_000)]
    public async Task HelmInstall_EachChartRuleRemoved_WebhookLogsThePermissionItLacks()
    {
        await using var world = await InstallWorld.StartAsync();
        var tools = world.Tools;
        await world.HelmInstallAsync();
        await world.WaitForWebhookAsync();
        var rules = await ChartRule.ReadAsync(tools);
        var secret = await CertificateSecretAsync(tools);
        var proofs = new List<string>();

        foreach (var rule in rules)
        {
            var watch = Stopwatch.StartNew();
            var before = RunningWebhookPods(world);
            await tools.KubectlAsync(["patch", rule.Kind.ToLowerInvariant(), rule.Role, .. rule.Scope, "--type=json", "-p", rule.RemovePatch]);

            // "create" on Secrets cannot be limited by name, and the webhook only creates its Secret when it is lost:
            // take the Secret away from the running webhook. Every other rule is used when the webhook starts.
            var createOnly = rule.Verbs.All(v => v == "create");
            if (createOnly)
            {
                await tools.KubectlAsync("delete", "secret", secret, "-n", InstallWorld.SystemNamespace);
            }
            else
            {
                await RestartWebhookAsync(tools);
            }

            var line = await WaitForRefusalLogAsync(world, rule);
            proofs.Add($"{rule}: {line.Trim()} ({watch.Elapsed.TotalSeconds:0} s)");

            await tools.KubectlAsync(["patch", rule.Kind.ToLowerInvariant(), rule.Role, .. rule.Scope, "--type=json", "-p", rule.RestorePatch]);
            if (createOnly)
            {
                await Eventually.TrueAsync(
                    () => world.Host.Kubernetes.Store.List(ResourceCatalog.Secrets, InstallWorld.SystemNamespace).Items
                        .Any(s => s.Name.Name == secret && s.ToJsonObject()["data"]?["tls.crt"] is not null),
                    TimeSpan.FromMinutes(3), () => $"the webhook did not re-create {secret} once {rule} was back");
            }

            await RestartWebhookAsync(tools);
            await WaitForFreshWebhookAsync(world, before);
        }

        output.WriteLine(string.Join('\n', proofs));
        Assert.Equal(rules.Count, proofs.Count);
    }

    /// <summary><c>kubectl auth can-i … --as</c> the webhook's account, which must answer <paramref name="expected"/>.</summary>
    private static async Task<string> CanIAsync(InstallWorld world, string expected, string[] question)
    {
        var run = await world.Tools.RunAsync("kubectl", ["auth", "can-i", .. question, "--as", Account], null);
        var answer = run.Output.Trim();
        Assert.True(answer == expected, $"kubectl auth can-i {string.Join(' ', question)} --as {Account}: expected {expected}, got \"{answer}\" (exit {run.ExitCode}) {run.Error}");
        return $"can-i {string.Join(' ', question)}: {answer}";
    }

    /// <summary>The certificate Secret the chart's Deployment mounts (its <c>cert</c> volume).</summary>
    private static async Task<string> CertificateSecretAsync(ClusterTools tools)
    {
        var deployment = JsonNode.Parse(await tools.KubectlAsync("get", "deploy", "-n", InstallWorld.SystemNamespace, "-l", $"release={InstallWorld.Release}", "-o", "json"))!;
        return deployment["items"]![0]!["spec"]!["template"]!["spec"]!["volumes"]!.AsArray()
            .Select(v => v!["secret"]?["secretName"]?.GetValue<string>()).Single(n => n is not null)!;
    }

    /// <summary>
    /// A new ReplicaSet of the webhook's Deployment, as users restart it (the sandbox's ReplicaSet controller does not
    /// replace pods deleted by hand; its Deployment controller replaces all pods of an old template at once).
    /// </summary>
    /// <summary>
    /// <c>kubectl rollout restart</c>. kubectl stamps the restart in whole seconds and refuses a second restart within
    /// the same second ("please wait before attempting to trigger another"), which a fast machine reaches between two
    /// rules: then it is asked again a second later, as a user would.
    /// </summary>
    private static async Task RestartWebhookAsync(ClusterTools tools)
    {
        string[] restart = ["rollout", "restart", "deployment", "-n", InstallWorld.SystemNamespace, "-l", $"release={InstallWorld.Release}"];
        var run = await tools.RunAsync("kubectl", restart, null);
        if (run.ExitCode != 0 && run.Error.Contains("within the past second", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            run = await tools.RunAsync("kubectl", restart, null);
        }

        run.Succeeded();
    }

    /// <summary>The webhook pods not being deleted, by name, with their pod JSON.</summary>
    private static Dictionary<string, JsonObject> RunningWebhookPods(InstallWorld world) =>
        world.Host.Kubernetes.Store.List(ResourceCatalog.Pods, InstallWorld.SystemNamespace).Items
            .Select(p => p.ToJsonObject())
            .Where(p => p["metadata"]!["labels"]?["app"]?.GetValue<string>() == "workload-identity-webhook" && p["metadata"]!["deletionTimestamp"] is null)
            .ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>Waits for a running webhook to log that it was refused one of the rule's verbs on one of its resources.</summary>
    private static async Task<string> WaitForRefusalLogAsync(InstallWorld world, ChartRule rule)
    {
        var expected = rule.Verbs.SelectMany(verb => rule.Resources.Select(resource => $"the webhook's ClusterRole/Role needs {verb} on {resource};")).ToList();
        string? found = null;
        await Eventually.TrueAsync(
            () => (found = RunningWebhookPods(world).Keys
                .SelectMany(pod => world.Host.Kubelet!.Run(InstallWorld.SystemNamespace, pod)?.Log("manager") ?? [])
                .FirstOrDefault(line => expected.Any(e => line.Contains(e, StringComparison.Ordinal)))) is not null,
            TimeSpan.FromMinutes(3),
            () => $"without {rule} no webhook logged any of: {string.Join(" | ", expected)}; logs:\n" + string.Join("\n", RunningWebhookPods(world).Keys
                .SelectMany(pod => world.Host.Kubelet!.Run(InstallWorld.SystemNamespace, pod)?.Log("manager") ?? [$"{pod}: not run by the kubelet"]))
                + "\n" + world.DescribePods());
        return found!;
    }

    /// <summary>Two new replicas (none of <paramref name="before"/>) Ready behind the Service, with every rule back.</summary>
    private static Task WaitForFreshWebhookAsync(InstallWorld world, IReadOnlyDictionary<string, JsonObject> before) => Eventually.TrueAsync(() =>
    {
        var pods = RunningWebhookPods(world);
        var ready = pods.Values.Where(p => !before.ContainsKey(p["metadata"]!["name"]!.GetValue<string>())
            && p["status"]?["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true).ToList();
        var endpoints = world.Host.Kubernetes.Store.List(ClusterServices.Endpoints, InstallWorld.SystemNamespace).Items
            .SingleOrDefault(e => e.Name.Name == "azure-wi-webhook-webhook-service")?.ToJsonObject();
        var addresses = (endpoints?["subsets"]?[0]?["addresses"] as JsonArray)?.Select(a => a!["ip"]!.GetValue<string>()).ToHashSet() ?? [];
        return pods.Count == 2 && ready.Count == 2 && ready.All(p => addresses.Contains(p["status"]!["podIP"]!.GetValue<string>()));
    }, TimeSpan.FromMinutes(4), () => "the webhook did not come back with two ready replicas:\n" + world.DescribePods());
}
