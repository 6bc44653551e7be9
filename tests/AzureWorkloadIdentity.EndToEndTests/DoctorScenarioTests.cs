using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// <c>azwi doctor</c> on the Quick Start's set-up with the real webhook: the identity made by <c>azwi serviceaccount
/// create</c>, a pod the webhook mutated — no check fails and the real token exchange succeeds; a pod created before
/// the webhook was installed is reported as unmutated (WI-POD-001) with the reason; a label value "True" reaches the
/// client as the webhook's admission warning.
/// </summary>
public sealed class DoctorScenarioTests
{
    private const int Timeout = 180_000;
    private const string Ns = "quickstart";
    private const string Account = "workload-identity-sa";

    [Fact(Timeout = Timeout)]
    public async Task Doctor_QuickstartPod_NoCheckFailsAndExchangeSucceeds_PodFromBeforeTheWebhookFails()
    {
        using var log = new StringWriter();
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        using var kubectl = host.Kubernetes.CreateClient();
        var azwi = new AzwiInvoker(host, log);
        await azwi.RunAsync(
            ["serviceaccount", "create", "--service-account-namespace", Ns, "--service-account-name", Account, "--skip-phases", "role-assignment"],
            CancellationToken.None);
        await kubectl.CoreV1.CreateNamespacedPodAsync(Pod("early"), Ns);
        await using var webhook = await LocalWebhook.InstallAsync(host, kubectl, CancellationToken.None);
        var pod = await kubectl.CoreV1.CreateNamespacedPodAsync(Pod("quick-start"), Ns);
        Assert.Contains(pod.Spec.Containers[0].Env ?? [], e => e.Name == "AZURE_FEDERATED_TOKEN_FILE");

        var healthy = await Record.ExceptionAsync(() => azwi.RunAsync(["doctor", "-n", Ns, "--pod", "quick-start", "--exchange"], CancellationToken.None));
        var healthyLog = log.ToString();
        var early = await Record.ExceptionAsync(() => azwi.RunAsync(["doctor", "-n", Ns, "--pod", "early"], CancellationToken.None));
        var earlyLog = log.ToString()[healthyLog.Length..];
        var typo = Pod("typo");
        typo.Metadata.Labels["azure.workload.identity/use"] = "True";
        using var typoResponse = await kubectl.CoreV1.CreateNamespacedPodWithHttpMessagesAsync(typo, Ns);
        var warning = typoResponse.Response.Headers.TryGetValues("Warning", out var values) ? string.Join(" ", values) : string.Empty;

        Assert.True(healthy is null, healthyLog);
        Assert.Contains("PASS  WI-EX-001", healthyLog, StringComparison.Ordinal);
        Assert.Contains("no check failed", healthyLog, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", healthyLog, StringComparison.Ordinal);
        Assert.IsType<QuickstartStepException>(early);
        Assert.Contains("FAIL  WI-POD-001", earlyLog, StringComparison.Ordinal);
        Assert.Contains("before the webhook was installed", earlyLog, StringComparison.Ordinal);
        Assert.Contains("exited with 1", early!.Message, StringComparison.Ordinal);
        Assert.Contains("opts the pod in to Azure workload identity", warning, StringComparison.Ordinal);
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
        Spec = new V1PodSpec
        {
            ServiceAccountName = Account,
            Containers = [new V1Container { Name = "oidc", Image = "ghcr.io/azure/azure-workload-identity/msal-go" }],
        },
    };
}
