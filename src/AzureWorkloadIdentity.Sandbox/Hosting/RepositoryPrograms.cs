namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// Finds a built sample (examples/&lt;name&gt;), the built proxy and the proxy-init script, so the local kubelet can
/// run them as containers.
/// </summary>
internal static class RepositoryPrograms
{
    /// <summary>The sample's assembly, built alongside the sandbox (the sandbox project builds the samples).</summary>
    public static string Find(string sample)
    {
        var assembly = sample switch
        {
            "msal-net" => "msal-net-example.dll",
            "azure-identity-dotnet" => "azure-identity-example.dll",
            _ => throw new ArgumentException($"unknown sample \"{sample}\"; use msal-net or azure-identity-dotnet", nameof(sample)),
        };
        return BuildOutput(Path.Combine("examples", sample), assembly);
    }

    /// <summary>A file of a sample that runs from its sources (examples/&lt;name&gt;/&lt;file&gt;), e.g. a Python or Node.js program.</summary>
    public static string FindSource(string sample, string file)
    {
        var path = Path.Combine(Root(), "examples", sample, file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"examples/{sample}/{file} is missing from the repository");
    }

    /// <summary>The webhook's assembly (<c>webhook.dll</c>), built alongside the sandbox.</summary>
    public static string FindWebhook() => BuildOutput(Path.Combine("src", "AzureWorkloadIdentity.Webhook"), "webhook.dll");

    /// <summary>The IMDS proxy's assembly (<c>proxy.dll</c>), built alongside the sandbox.</summary>
    public static string FindProxy() => BuildOutput(Path.Combine("src", "AzureWorkloadIdentity.Proxy"), "proxy.dll");

    /// <summary>The proxy-init image's script, <c>init/init-iptables.sh</c>.</summary>
    public static string FindInitScript()
    {
        var script = Path.Combine(Root(), "init", "init-iptables.sh");
        return File.Exists(script) ? script : throw new InvalidOperationException("init/init-iptables.sh is missing from the repository");
    }

    private static string BuildOutput(string project, string assembly)
    {
        var root = Root();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Debug";
        var candidates = new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(root, project, "bin", c, "net10.0", assembly))
            .Where(File.Exists)
            .ToArray();
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"{assembly} is not built; run: dotnet build {project}");
    }

    /// <summary>The repository's folder (where AzureWorkloadIdentity.slnx is), above the running assembly.</summary>
    public static string RepositoryDirectory() => Root();

    private static string Root() => RepositoryRoot()
        ?? throw new InvalidOperationException("cannot find the repository (AzureWorkloadIdentity.slnx) above " + AppContext.BaseDirectory);

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AzureWorkloadIdentity.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
