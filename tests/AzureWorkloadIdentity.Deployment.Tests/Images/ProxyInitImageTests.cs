using AzureWorkloadIdentity.Deployment.Tests.Tooling;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>The proxy-init image: iptables and the repository's init script, which it runs as its entrypoint.</summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class ProxyInitImageTests(BuiltImages images)
{
    [Fact(Timeout = 120_000)]
    public async Task Image_InitScript_IsTheRepositorysScript()
    {
        var result = await Podman.RunContainerAsync(images["proxy-init"], ["--network", "none", "--entrypoint", "cat"], "/bin/init-iptables.sh");

        Podman.Succeeded(result, "cat /bin/init-iptables.sh");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(images.Root, "init", "init-iptables.sh")), result.StandardOutput);
    }

    [Fact(Timeout = 120_000)]
    public async Task Image_Iptables_IsInstalled()
    {
        var result = await Podman.RunContainerAsync(images["proxy-init"], ["--network", "none", "--entrypoint", "iptables"], "--version");

        Podman.Succeeded(result, "iptables --version");
        Assert.StartsWith("iptables v1.", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Image_Entrypoint_InstallsRedirectInItsOwnNetworkNamespace()
    {
        // A network namespace of its own (--network none): the rules never touch the host's tables.
        var result = await Podman.RunContainerAsync(images["proxy-init"], ["--network", "none", "--cap-add", "NET_ADMIN", "--env", "PROXY_PORT=8123"]);

        Podman.Succeeded(result, "proxy-init");
        Assert.Contains("TCP to 169.254.169.254:80 now goes to 127.0.0.1:8123, except for UID 1501.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("-A AZWI_PROXY_OUTPUT -m owner --uid-owner 1501 -j RETURN", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("-A AZWI_PROXY_REDIRECT -p tcp -j REDIRECT --to-ports 8123", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Image_EntrypointWithoutNetAdmin_FailsNamingTheCapability()
    {
        var result = await Podman.RunContainerAsync(images["proxy-init"], ["--network", "none", "--cap-drop", "NET_ADMIN"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NET_ADMIN", result.StandardError, StringComparison.Ordinal);
    }
}
