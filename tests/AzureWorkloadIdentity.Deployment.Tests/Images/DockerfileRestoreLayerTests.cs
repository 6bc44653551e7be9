using System.Xml.Linq;
using AzureWorkloadIdentity.Deployment.Tests.Tooling;

namespace AzureWorkloadIdentity.Deployment.Tests.Images;

/// <summary>
/// The product Dockerfiles restore from the project files alone, so source edits reuse the restore layer. Every file
/// a copied project imports must be copied with it: `dotnet restore` ignores a missing import, and a restore without
/// the imported settings (PublishAot, in the webhook's WebhookRuntime.props) leaves the NativeAOT compiler out, so the
/// publish makes no native binary and the image fails later, far from the cause.
/// </summary>
public sealed class DockerfileRestoreLayerTests
{
    [Theory]
    [InlineData("docker/webhook.Dockerfile")]
    [InlineData("docker/proxy.Dockerfile")]
    public void RestoreLayer_EveryImportOfACopiedProject_IsCopiedBeforeTheRestore(string dockerfile)
    {
        var root = RepositoryRoot.Find();
        var copied = CopiedBeforeRestore(File.ReadAllLines(Path.Combine(root, dockerfile)));
        var projects = copied.Where(path => path.EndsWith(".csproj", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(projects);

        foreach (var project in projects)
        {
            var directory = Path.GetDirectoryName(project)!;
            var imports = XDocument.Load(Path.Combine(root, project)).Descendants("Import")
                .Select(import => (string?)import.Attribute("Project"))
                .OfType<string>()
                .Where(path => !path.Contains("$(", StringComparison.Ordinal))
                .Select(path => Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, directory, path))).Replace('\\', '/'));
            foreach (var import in imports)
            {
                Assert.True(copied.Contains(import), $"{dockerfile}: {project} imports {import}, which is not copied before `dotnet restore`");
            }
        }
    }

    /// <summary>The repository paths the COPY instructions before the first <c>RUN dotnet restore</c> bring in (files, not folders).</summary>
    private static HashSet<string> CopiedBeforeRestore(IEnumerable<string> lines)
    {
        var copied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (line.StartsWith("RUN dotnet restore", StringComparison.Ordinal))
            {
                return copied;
            }

            if (!line.StartsWith("COPY ", StringComparison.Ordinal) || line.Contains("--from=", StringComparison.Ordinal))
            {
                continue;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var destination = words[^1];
            foreach (var source in words[1..^1].Where(word => !word.StartsWith("--", StringComparison.Ordinal)))
            {
                // "COPY a b ./" keeps the names under the destination folder; the sources here are repository paths
                // copied to the same path (or to ./ from the root).
                copied.Add(destination is "./" or "." ? Path.GetFileName(source) : destination.TrimEnd('/') + "/" + Path.GetFileName(source));
            }
        }

        Assert.Fail("no `RUN dotnet restore` found");
        return copied;
    }
}
