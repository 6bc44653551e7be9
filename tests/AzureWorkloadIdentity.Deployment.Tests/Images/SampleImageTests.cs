using AzureWorkloadIdentity.Deployment.Tests.Tooling;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>Every sample with a Dockerfile has an image whose program starts (as a non-root user) and reads its settings.</summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class SampleImageTests(BuiltImages images)
{
    public static TheoryData<string> Samples()
    {
        var samples = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(RepositoryRoot.Find(), "examples")).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, "Dockerfile")))
            {
                samples.Add(Path.GetFileName(folder));
            }
        }

        return samples;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Samples))]
    public async Task Image_WithoutSettings_ExitsNamingKeyVaultUrl(string sample)
    {
        var result = await Podman.RunContainerAsync(images[sample], ["--read-only", "--network", "none"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("KEYVAULT_URL", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Samples))]
    public async Task Image_User_IsNotRoot(string sample)
    {
        var result = await Podman.RunAsync("image", "inspect", "--format", "{{.Config.User}}", images[sample]);

        Podman.Succeeded(result, "podman image inspect");
        var user = result.StandardOutput.Trim();
        Assert.False(user is "" or "0" or "root" || user.StartsWith("0:", StringComparison.Ordinal), $"{sample} runs as '{user}'");
    }
}
