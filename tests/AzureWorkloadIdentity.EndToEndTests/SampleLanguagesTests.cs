using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// All six samples (C#, Python, Node.js; MSAL and Azure Identity) as containers of one pod injected by the webhook:
/// each reads the secret through the token exchange, and each reports a refused exchange in one line with its AADSTS code.
/// </summary>
public sealed class SampleLanguagesTests
{
    private const int Timeout = 300_000;

    [Fact(Timeout = Timeout)]
    public async Task PodWithEverySample_EachGetsTheSecret()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();
        var runner = e2e.SampleRunner(SampleImages.Names);

        var local = await StartPodAsync(e2e, "every-sample", ExchangeEnvironment.ServiceAccount);

        foreach (var sample in SampleImages.Names)
        {
            var run = await runner.RunAsync(local, sample, TimeSpan.FromSeconds(90), CancellationToken.None);
            Assert.True(run.ExitCode == 0, $"{sample}: {string.Join('\n', run.Log)}\n{e2e.Log}");
            Assert.Contains("successfully got secret, secret=Hello!", run.Log);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task PodWithoutFederatedCredential_EachSampleFailsInOneLineWithTheAadstsCode()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();
        // Annotated with the application's client ID, but no federated credential names this account as its subject.
        var clientId = new AzureCliStandIn(e2e.Host).FindServicePrincipal("e2e-app").AppId;
        await e2e.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = "stranger",
                Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" },
                Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = clientId },
            },
        }, ExchangeEnvironment.Namespace);
        var samples = SampleImages.Names.Where(n => !n.EndsWith("-net", StringComparison.Ordinal) && !n.EndsWith("-dotnet", StringComparison.Ordinal)).ToArray();
        var runner = e2e.SampleRunner(samples);

        var local = await StartPodAsync(e2e, "stranger-samples", "stranger", samples);

        foreach (var sample in samples)
        {
            var run = await runner.RunAsync(local, sample, TimeSpan.FromSeconds(90), CancellationToken.None);
            Assert.True(run.ExitCode == 1, $"{sample} exited {run.ExitCode}: {string.Join('\n', run.Log)}");
            var failure = Assert.Single(run.Log);
            Assert.StartsWith("failed to get secret \"my-secret\" from https://127.0.0.1:", failure, StringComparison.Ordinal);
            Assert.Contains("AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:e2e:stranger'", failure, StringComparison.Ordinal);
        }
    }

    private static async Task<Sandbox.Kubelet.LocalPod> StartPodAsync(ExchangeEnvironment e2e, string name, string serviceAccount, IEnumerable<string>? samples = null)
    {
        var pod = await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = serviceAccount,
                Containers = [.. (samples ?? SampleImages.Names).Select(s => e2e.SampleContainer(s, s))],
            },
        }, ExchangeEnvironment.Namespace);
        return await e2e.Kubelet.StartPodAsync(pod, CancellationToken.None);
    }
}
