namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>Finds a built sample (examples/&lt;name&gt;) so the local kubelet can run it as a container.</summary>
public static class SampleLocator
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
        var root = RepositoryRoot()
            ?? throw new InvalidOperationException("cannot find the repository (AzureWorkloadIdentity.slnx) above " + AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Debug";
        var candidates = new[] { configuration, "Debug", "Release" }
            .Select(c => Path.Combine(root, "examples", sample, "bin", c, "net10.0", assembly))
            .Where(File.Exists)
            .ToArray();
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"the {sample} sample is not built; run: dotnet build examples/{sample}");
    }

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
