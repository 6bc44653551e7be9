namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// Finds the versioned kubectl binaries (<c>kubectl.1.28</c> … <c>kubectl.1.33</c>) that the Google Cloud CLI installs
/// beside the <c>kubectl</c> on the PATH (scripts/install-prereqs.sh checks they are there).
/// </summary>
public static class KubectlBinary
{
    /// <summary>The oldest and newest versions the tests run, as the issue asks.</summary>
    public static TheoryData<string> Versions => new() { "1.33", "1.28" };

    public static string Find(string version)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(File.Exists);
        if (onPath is null)
        {
            throw new InvalidOperationException(
                $"kubectl is not on the PATH, so kubectl.{version} beside it cannot be found: install the Google Cloud CLI's kubectl component (scripts/install-prereqs.sh says how)");
        }

        var resolved = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var versioned = Path.Combine(Path.GetDirectoryName(resolved)!, "kubectl." + version);
        return File.Exists(versioned)
            ? versioned
            : throw new InvalidOperationException(
                $"{versioned} is missing: the tests run kubectl {version} as the Google Cloud CLI installs it beside kubectl (run scripts/install-prereqs.sh)");
    }
}
