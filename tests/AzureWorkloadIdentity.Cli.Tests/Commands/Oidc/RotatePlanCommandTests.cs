using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Oidc;

public sealed class RotatePlanCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private string _current = null!;
    private string _next = null!;

    public async Task InitializeAsync()
    {
        _current = await NewPublicKeyAsync("sa");
        _next = await NewPublicKeyAsync("sa-new");
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact(Timeout = 60_000)]
    public async Task RotatePlan_CurrentAndNewKey_PublishSwitchWaitRetireWithExactCommands()
    {
        var run = await CliRunner.RunAsync(
            "oidc", "rotate-plan", "--issuer-url", "https://acct.blob.core.windows.net/oidc-test/", "--current-public-keys", _current,
            "--new-public-key", _next, "--max-token-lifetime", "2h", "--output", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        var steps = JsonNode.Parse(run.Out)!["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var (oldKid, newKid) = (KeyId(_current), KeyId(_next));
        Assert.Equal(4, steps.Count);

        Assert.Equal([oldKid, newKid], Strings(steps[0], "publishedKeyIds"));
        Assert.Null(steps[0]["clusterKeyIds"]);
        Assert.Equal(
            [
                $"azwi jwks --public-keys {_current} --public-keys {_next} --output-file jwks.json",
                "az storage blob upload --account-name \"${AZURE_STORAGE_ACCOUNT}\" --container-name \"${AZURE_STORAGE_CONTAINER}\" --file jwks.json --name openid/v1/jwks --overwrite",
                $"azwi oidc verify --issuer-url https://acct.blob.core.windows.net/oidc-test/ --public-keys {_current} --public-keys {_next}",
            ],
            Strings(steps[0], "commands"));

        Assert.Equal([oldKid, newKid], Strings(steps[1], "clusterKeyIds"));
        Assert.Equal(newKid, steps[1]["signingKeyId"]!.GetValue<string>());
        Assert.Contains(Strings(steps[1], "commands"), c => c.Contains("--service-account-signing-key-file=/etc/kubernetes/pki/sa-new.key", StringComparison.Ordinal));
        Assert.Contains(Strings(steps[1], "commands"), c => c.Contains("--service-account-key-file=/etc/kubernetes/pki/sa-new.pub", StringComparison.Ordinal));

        Assert.Equal(3 * 3600, steps[2]["waitSeconds"]!.GetValue<long>());
        Assert.Empty(Strings(steps[2], "commands"));

        Assert.Equal([newKid], Strings(steps[3], "publishedKeyIds"));
        Assert.Equal([newKid], Strings(steps[3], "clusterKeyIds"));
        Assert.Equal($"azwi jwks --public-keys {_next} --output-file jwks.json", Strings(steps[3], "commands")[0]);
        Assert.Contains(Strings(steps[3], "commands"), c => c.Contains("del(", StringComparison.Ordinal) && c.Contains("/etc/kubernetes/pki/sa.pub", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task RotatePlan_TextOutput_StepsWithKidsAndCommands()
    {
        var run = await CliRunner.RunAsync("oidc", "rotate-plan", "--issuer-url", "https://i.example.com/", "--current-public-keys", _current, "--new-public-key", _next);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("# Step 1: Publish the new key next to the current ones", run.Out, StringComparison.Ordinal);
        Assert.Contains("# Step 3: Wait 25 h", run.Out, StringComparison.Ordinal);
        Assert.Contains($"# signing kid afterwards: {KeyId(_next)}", run.Out, StringComparison.Ordinal);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("--issuer-url https://i.example.com/ --new-public-key NEXT", "--current-public-keys is required")]
    [InlineData("--issuer-url https://i.example.com/ --current-public-keys CURRENT", "--new-public-key is required")]
    [InlineData("--issuer-url https://i.example.com/ --current-public-keys CURRENT --new-public-key CURRENT", "already a current key")]
    [InlineData("--issuer-url https://i.example.com/ --current-public-keys CURRENT --new-public-key NEXT --max-token-lifetime soon", "--max-token-lifetime")]
    [InlineData("--issuer-url http://i.example.com/ --current-public-keys CURRENT --new-public-key NEXT", "uses http")]
    public async Task RotatePlan_BadFlags_OneLineError(string arguments, string expected)
    {
        string[] args = [.. "oidc rotate-plan".Split(' '), .. arguments.Replace("CURRENT", _current, StringComparison.Ordinal).Replace("NEXT", _next, StringComparison.Ordinal).Split(' ')];

        var run = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private static List<string> Strings(JsonObject step, string name) => [.. step[name]!.AsArray().Select(v => v!.GetValue<string>())];

    private static string KeyId(string file)
    {
        using var key = PublicKeyFileReader.Read(file)[0];
        return JsonWebKeySetWriter.KeyId(key);
    }

    private async Task<string> NewPublicKeyAsync(string name) => (await OpenSsl.GenerateRsaKeyPairAsync(_directory.Path, name)).Pub;
}
