namespace AzureWorkloadIdentity.Deployment.Tests.Tooling;

internal static class RepositoryRoot
{
    /// <summary>The checkout's root: the nearest ancestor of the test binaries holding AzureWorkloadIdentity.slnx.</summary>
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AzureWorkloadIdentity.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no AzureWorkloadIdentity.slnx above {AppContext.BaseDirectory}; run the tests from the checkout");
    }
}
