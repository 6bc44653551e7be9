using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Primitives;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The documentation's service-account key rotation, end to end: the JWKS with both keys made by <c>azwi jwks</c>
/// matches what the cluster publishes; after the rotation a new pod's token (signed by the new key) and an old pod's
/// token (signed by the old key) are both accepted by Entra ID; once the old key is removed and Entra ID's cached keys
/// have expired, the old token is refused (AADSTS700027) and the kubelet's next refresh, signed by the new key,
/// works again. The sample runs as the pods' container each time.
/// </summary>
public sealed class KeyRotationTests
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task RotateKeys_BothAcceptedDuringRotation_OldRefusedAfterRemoval_RefreshedTokenWorks()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var e2e = await ExchangeEnvironment.StartAsync(time);
        var issuer = e2e.Host.Issuer;
        var oldKey = issuer.CurrentKey;
        var before = await StartPodAsync(e2e, "before");
        await AssertGetsSecretAsync(e2e, before);

        using var newKey = SigningKey.Generate();
        var document = await AzwiJwksAsync(e2e.Host.WorkDirectory, oldKey, newKey);
        Assert.Equal(
            new[] { oldKey.KeyId, newKey.KeyId }.Order(),
            document["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order());
        issuer.Rotate(newKey);
        Assert.Equal(new[] { oldKey.KeyId, newKey.KeyId }.Order(), issuer.PublishedKeys.Select(k => k.KeyId).Order());

        var after = await StartPodAsync(e2e, "after");
        Assert.Equal(newKey.KeyId, KidOf(after));
        Assert.Equal(oldKey.KeyId, KidOf(before));
        await AssertGetsSecretAsync(e2e, after);
        await AssertGetsSecretAsync(e2e, before);

        // Past the longest token lifetime the old key is removed; Entra ID notices once its cached keys expire.
        issuer.Retire(oldKey.KeyId);
        time.Advance(TimeSpan.FromMinutes(6));
        var refused = await e2e.Runner.RunAsync(before, "app", TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(refused.Log, l => l.Contains("AADSTS700027", StringComparison.Ordinal));

        await e2e.Kubelet.RefreshPodAsync(before, CancellationToken.None);
        Assert.Equal(newKey.KeyId, KidOf(before));
        await AssertGetsSecretAsync(e2e, before);
    }

    private static async Task<LocalPod> StartPodAsync(ExchangeEnvironment e2e, string name)
    {
        var pod = await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = ExchangeEnvironment.ServiceAccount,
                Containers = [e2e.SampleContainer("app", "msal-net")],
            },
        }, ExchangeEnvironment.Namespace);
        return await e2e.Kubelet.StartPodAsync(pod, CancellationToken.None);
    }

    private static async Task AssertGetsSecretAsync(ExchangeEnvironment e2e, LocalPod pod)
    {
        var run = await e2e.Runner.RunAsync(pod, "app", TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(run.ExitCode == 0, $"{pod.Pod.Metadata.Name}: {string.Join('\n', run.Log)}");
        Assert.Contains("successfully got secret, secret=Hello!", run.Log);
    }

    private static string KidOf(LocalPod pod) => new JsonWebToken(File.ReadAllText(Assert.Single(pod.Tokens, t => t.VolumeName == "azure-identity-token").FilePath)).Kid;

    /// <summary>Runs <c>azwi jwks</c> on the two public keys, as the documentation's rotation steps do.</summary>
    private static async Task<JsonObject> AzwiJwksAsync(string directory, SigningKey oldKey, SigningKey newKey)
    {
        var oldPath = Path.Combine(directory, "sa-old.pub");
        var newPath = Path.Combine(directory, "sa-new.pub");
        var output = Path.Combine(directory, "jwks.json");
        await File.WriteAllTextAsync(oldPath, oldKey.ExportPublicKeyPem());
        await File.WriteAllTextAsync(newPath, newKey.ExportPublicKeyPem());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApplication.InvokeAsync(
            ["jwks", "--public-keys", oldPath, "--public-keys", newPath, "--output-file", output],
            new CliServices(new CliConsole(stdout, stderr), TimeProvider.System));
        Assert.True(exitCode == 0, stderr.ToString());
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject();
    }
}
