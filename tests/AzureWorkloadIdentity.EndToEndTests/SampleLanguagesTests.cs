using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using AzureWorkloadIdentity.TestUtilities;
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

    /// <summary>
    /// The MSAL samples build the client assertion themselves: they must read the token file again for every
    /// exchange. (The Azure Identity samples leave that to the SDK's WorkloadIdentityCredential, which re-reads the
    /// file at most every 5 minutes — well within the kubelet's rotation at 80 % of the token's lifetime.)
    /// </summary>
    [Fact(Timeout = Timeout)]
    public async Task TokenFileRotated_EachMsalSampleExchangesTheNewTokenOnItsNextRead()
    {
        // Access tokens that expire within the SDKs' five-minute refresh window: every read of the secret needs a
        // new exchange, and so a new client assertion from the token file.
        await using var e2e = await ExchangeEnvironment.StartAsync(accessTokenLifetime: TimeSpan.FromSeconds(10));
        string[] samples = ["msal-net", "msal-python", "msal-node"];
        var runner = e2e.SampleRunner(samples);
        var local = await StartPodAsync(e2e, "rotating-samples", ExchangeEnvironment.ServiceAccount, samples, refreshSeconds: 1);
        var tokenFile = Assert.Single(local.Tokens, t => t.VolumeName == "azure-identity-token").FilePath;
        var running = new List<(string Sample, Sandbox.Kubelet.LocalProcess Process)>();
        try
        {
            foreach (var sample in samples)
            {
                running.Add((sample, await runner.StartAsync(local, sample, CancellationToken.None)));
            }

            foreach (var (sample, process) in running)
            {
                await Eventually.TrueAsync(() => process.Log.Contains("successfully got secret, secret=Hello!") || process.HasExited,
                    TimeSpan.FromSeconds(120), () => $"{sample} never read the secret: {string.Join('\n', process.Log)}");
                Assert.False(process.HasExited, $"{sample} exited before the rotation: {string.Join('\n', process.Log)}");
            }

            // What the kubelet does on rotation (write aside, rename over), with a token of an account that no
            // federated credential trusts: only a sample that re-reads the file is refused.
            e2e.Host.WriteServiceAccountToken(ExchangeEnvironment.Namespace, "stranger", path: tokenFile);

            foreach (var (sample, process) in running)
            {
                var run = await process.WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);
                var log = string.Join('\n', run.Log);
                Assert.True(run.ExitCode == 1, $"{sample} exited {run.ExitCode} after the rotation:\n{log}");
                Assert.StartsWith("successfully got secret, secret=Hello!", run.Log[0], StringComparison.Ordinal);
                Assert.True(log.Contains("AADSTS700213", StringComparison.Ordinal) && log.Contains("system:serviceaccount:e2e:stranger", StringComparison.Ordinal),
                    $"{sample} was not refused for the rotated token's subject:\n{log}");
            }
        }
        finally
        {
            foreach (var (_, process) in running)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static async Task<Sandbox.Kubelet.LocalPod> StartPodAsync(
        ExchangeEnvironment e2e, string name, string serviceAccount, IEnumerable<string>? samples = null, int refreshSeconds = 0)
    {
        var pod = await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = serviceAccount,
                Containers = [.. (samples ?? SampleImages.Names).Select(s => e2e.SampleContainer(s, s, refreshSeconds))],
            },
        }, ExchangeEnvironment.Namespace);
        return await e2e.Kubelet.StartPodAsync(pod, CancellationToken.None);
    }
}
