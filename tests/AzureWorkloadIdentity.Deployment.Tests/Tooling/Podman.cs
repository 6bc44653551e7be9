using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Deployment.Tests.Tooling;

/// <summary>
/// podman as these machines need it: the runc runtime (crun fails on hybrid cgroups) and explicit ulimits (podman's
/// defaults exceed what the machine allows, so setrlimit fails).
/// </summary>
internal static class Podman
{
    public static readonly IReadOnlyList<string> RuntimeFlags =
        ["--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("podman", arguments, Path.GetTempPath(), CommandTimeout);

    /// <summary><c>podman run --rm</c> with the runtime flags, then <paramref name="options"/>, the image and its arguments.</summary>
    public static Task<ProcessResult> RunContainerAsync(string image, IEnumerable<string> options, params string[] arguments) =>
        RunAsync(["run", "--rm", .. RuntimeFlags, .. options, image, .. arguments]);

    /// <summary>Every file of an image, by path without the leading slash, read from <c>podman export</c> of a container.</summary>
    public static async Task<IReadOnlyDictionary<string, System.Formats.Tar.TarEntry>> ListFilesAsync(string image)
    {
        var name = "azwi-test-" + Guid.NewGuid().ToString("N");
        var archive = Path.Combine(Path.GetTempPath(), name + ".tar");
        try
        {
            Succeeded(await RunAsync(["create", "--name", name, .. RuntimeFlags, image]), "podman create");
            Succeeded(await RunAsync("export", "--output", archive, name), "podman export");
            var entries = new Dictionary<string, System.Formats.Tar.TarEntry>(StringComparer.Ordinal);
            await using var stream = File.OpenRead(archive);
            await using var reader = new System.Formats.Tar.TarReader(stream);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                entries[entry.Name.TrimStart('.', '/')] = entry;
            }

            return entries;
        }
        finally
        {
            await RunAsync("rm", "--force", "--ignore", name);
            File.Delete(archive);
        }
    }

    public static void Succeeded(ProcessResult result, string what) => Assert.True(result.ExitCode == 0, result.Describe(what));
}
