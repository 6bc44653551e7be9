using AzureWorkloadIdentity.Deployment.Tests.Tooling;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>
/// The images of scripts/build-images.sh, by name (webhook, proxy, proxy-init and the sample folders), as it tags
/// them. Images missing from the podman store are built once by the script (scripts/test.sh builds them all first).
/// </summary>
public sealed class BuiltImages : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(40);

    public string Root { get; } = RepositoryRoot.Find();

    public IReadOnlyDictionary<string, string> Tags { get; private set; } = new Dictionary<string, string>();

    public string this[string name] => Tags.TryGetValue(name, out var tag)
        ? tag
        : throw new InvalidOperationException($"scripts/build-images.sh --list names no image '{name}'");

    public async Task InitializeAsync()
    {
        Tags = await ListAsync(Root);
        try
        {
            Podman.Succeeded(await Podman.RunAsync("--version"), "podman --version");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                "podman is not installed: these tests run the built images. As root: apt-get install -y podman runc, then bash scripts/build-images.sh");
        }

        var missing = new List<string>();
        foreach (var (name, tag) in Tags)
        {
            if ((await Podman.RunAsync("image", "exists", tag)).ExitCode != 0)
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            var build = await ProcessRunner.RunAsync("bash", ["scripts/build-images.sh", .. missing], Root, BuildTimeout);
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"images {string.Join(", ", missing)} are not in the podman store and scripts/build-images.sh could not build them. " +
                    build.Describe("scripts/build-images.sh"));
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The script's own list: name (the Dockerfile's image or sample folder) → tag.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ListAsync(string root)
    {
        var list = await ProcessRunner.RunAsync("bash", ["scripts/build-images.sh", "--list"], root, TimeSpan.FromMinutes(1));
        Assert.True(list.ExitCode == 0, list.Describe("scripts/build-images.sh --list"));
        return list.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(tag => tag[(tag.LastIndexOf('/') + 1)..tag.LastIndexOf(':')], StringComparer.Ordinal);
    }
}

[CollectionDefinition(Name)]
public sealed class BuiltImagesCollection : ICollectionFixture<BuiltImages>
{
    public const string Name = "built images";
}
