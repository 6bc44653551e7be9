using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Tests.Hosting;

public sealed class SandboxWorkDirectoryTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task Dispose_FolderTheHostMade_IsRemoved()
    {
        string work;
        await using (var host = await SandboxHost.StartAsync())
        {
            work = host.WorkDirectory;
            Assert.True(File.Exists(host.KubeconfigPath), "the kubeconfig is written while the sandbox runs");
        }

        Assert.False(Directory.Exists(work), $"{work} is left behind");
    }

    [Fact(Timeout = Timeout)]
    public async Task Dispose_FolderTheCallerNamed_IsKept()
    {
        var work = Directory.CreateTempSubdirectory("sandbox-work-").FullName;
        try
        {
            await using (var host = await SandboxHost.StartAsync(new SandboxOptions { WorkDirectory = work }))
            {
                Assert.Equal(work, host.WorkDirectory);
            }

            Assert.True(File.Exists(Path.Combine(work, "kubeconfig")), "the caller's folder keeps what the sandbox wrote");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
