using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The original suite's token-exchange scenario: a pod with two containers, both injected by the webhook, both read
/// the secret through the exchange (one with MSAL.NET, one with Azure.Identity).
/// </summary>
public sealed class TokenExchangeTests
{
    private const int Timeout = 180_000;

    [Fact(Timeout = Timeout)]
    public async Task PodWithTwoContainers_BothGetTheSecret()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();

        var pod = await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "two", Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = ExchangeEnvironment.ServiceAccount,
                Containers = [e2e.SampleContainer("msal", "msal-net"), e2e.SampleContainer("identity", "azure-identity-dotnet")],
            },
        }, ExchangeEnvironment.Namespace);
        var local = await e2e.Kubelet.StartPodAsync(pod, CancellationToken.None);

        foreach (var container in new[] { "msal", "identity" })
        {
            var run = await e2e.Runner.RunAsync(local, container, TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.True(run.ExitCode == 0, $"{container}: {string.Join('\n', run.Log)}\n{e2e.Log}");
            Assert.Contains("successfully got secret, secret=Hello!", run.Log);
        }
    }
}
