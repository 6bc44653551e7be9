using System.Text.Json;
using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Deployment.Tests.Tooling;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>The webhook and proxy images, started with podman: version, users, read-only root, no shell.</summary>
[Collection(BuiltImagesCollection.Name)]
public sealed partial class ProductImageTests(BuiltImages images)
{
    [Theory(Timeout = 180_000)]
    [InlineData("webhook")]
    [InlineData("proxy")]
    public async Task Image_Version_PrintsVersionJsonLine(string name)
    {
        var tag = images[name];

        var result = await Podman.RunContainerAsync(tag, ["--read-only", "--network", "none"], "--version");

        Podman.Succeeded(result, $"{tag} --version");
        var line = Assert.Single(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(tag[(tag.LastIndexOf(':') + 1)..], json.RootElement.GetProperty("buildVersion").GetString());
        Assert.Matches(CommitPattern(), json.RootElement.GetProperty("gitCommit").GetString());
        Assert.StartsWith("linux/", json.RootElement.GetProperty("platform").GetString(), StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("webhook", "65532:65532")]
    [InlineData("proxy", "1501:1501")]
    public async Task Image_User_IsTheComponentsNonRootUser(string name, string user)
    {
        var result = await Podman.RunAsync("image", "inspect", "--format", "{{.Config.User}}", images[name]);

        Podman.Succeeded(result, "podman image inspect");
        Assert.Equal(user, result.StandardOutput.Trim());
    }

    [Fact(Timeout = 180_000)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Proxy_Container_ReadyAsUid1501OnReadOnlyRootFilesystem()
    {
        // Readable by UID 1501 as a projected token is (mode 0644 in a world-readable folder).
        var tokens = Directory.CreateTempSubdirectory("azwi-proxy-tokens-");
        File.SetUnixFileMode(tokens.FullName, (UnixFileMode)0b111_101_101);
        var token = Path.Combine(tokens.FullName, "azure-identity-token");
        File.WriteAllText(token, "header.payload.signature");
        File.SetUnixFileMode(token, (UnixFileMode)0b110_100_100);
        var name = "azwi-test-proxy-" + Guid.NewGuid().ToString("N");
        try
        {
            // Its own network namespace (loopback only): the proxy listens on 127.0.0.1:8000 inside it.
            Podman.Succeeded(
                await Podman.RunAsync([
                    "run", "--detach", "--name", name, .. Podman.RuntimeFlags, "--read-only", "--network", "none",
                    "--volume", $"{tokens.FullName}:/var/run/secrets/azure/tokens:ro",
                    "--env", "AZURE_TENANT_ID=00000000-0000-0000-0000-000000000001",
                    "--env", "AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/",
                    "--env", "AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token",
                    images["proxy"]]),
                "podman run proxy");

            // The sidecar's postStart hook: the binary probes its own /readyz (the image has no curl or shell).
            var probe = await Podman.RunAsync("exec", name, "/proxy", "--probe");
            var pid = await Podman.RunAsync("inspect", "--format", "{{.State.Pid}}", name);

            Assert.True(probe.ExitCode == 0, probe.Describe("/proxy --probe") + "\n--- logs ---\n" + (await Podman.RunAsync("logs", name)).StandardError);
            Podman.Succeeded(pid, "podman inspect");
            var status = await File.ReadAllLinesAsync($"/proc/{pid.StandardOutput.Trim()}/status");
            Assert.Equal(["1501", "1501", "1501", "1501"], UidFields(status, "Uid:"));
            Assert.Equal(["1501", "1501", "1501", "1501"], UidFields(status, "Gid:"));
        }
        finally
        {
            await Podman.RunAsync("rm", "--force", "--ignore", name);
            tokens.Delete(recursive: true);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("webhook", "manager")]
    [InlineData("proxy", "proxy")]
    public async Task Image_Files_NoShellOrPackageManagerOnlyTheBinary(string name, string binary)
    {
        var files = await Podman.ListFilesAsync(images[name]);

        Assert.Contains(binary, files.Keys);
        Assert.DoesNotContain(files.Keys, path => Forbidden.Contains(path[(path.LastIndexOf('/') + 1)..]));
        // Every other executable regular file is a shared library (the C library's loader included).
        var programs = files
            .Where(file => file.Value.EntryType is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile
                && (file.Value.Mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0
                && !file.Key.Contains(".so", StringComparison.Ordinal))
            .Select(file => file.Key);
        Assert.Equal([binary], programs);
    }

    private static readonly HashSet<string> Forbidden =
        ["sh", "bash", "dash", "ash", "busybox", "apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm"];

    private static string[] UidFields(IEnumerable<string> status, string field) =>
        status.Single(line => line.StartsWith(field, StringComparison.Ordinal))[field.Length..]
            .Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
