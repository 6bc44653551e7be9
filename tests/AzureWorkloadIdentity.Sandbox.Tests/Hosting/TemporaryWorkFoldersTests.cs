using System.Globalization;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Tests.Hosting;

/// <summary>Folders left by a killed sandbox are removed by the next one; live and recent ones are kept.</summary>
public sealed class TemporaryWorkFoldersTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("azwi-temp-folders-test-");

    [Fact]
    public void RemoveAbandoned_OwnerGoneOrUnownedAndOld_RemovedOthersKept()
    {
        var dead = Folder("dead", owner: int.MaxValue.ToString(CultureInfo.InvariantCulture));
        var alive = Folder("alive", owner: Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var unownedOld = Folder("unowned-old", owner: null);
        Directory.SetLastWriteTimeUtc(unownedOld, DateTime.UtcNow.AddDays(-2));
        var unownedRecent = Folder("unowned-recent", owner: null);
        var other = Directory.CreateDirectory(Path.Combine(_temp.FullName, "someone-else")).FullName;

        var removed = TemporaryWorkFolders.RemoveAbandoned(_temp.FullName);

        Assert.Equal(2, removed);
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(unownedOld));
        Assert.True(Directory.Exists(alive));
        Assert.True(Directory.Exists(unownedRecent));
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public async Task StartAsync_WithoutWorkDirectory_FolderRecordsThisProcessAndIsRemovedAtStop()
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        var folder = host.WorkDirectory;

        Assert.StartsWith(TemporaryWorkFolders.Prefix, Path.GetFileName(folder), StringComparison.Ordinal);
        TemporaryWorkFolders.RemoveAbandoned(Path.GetDirectoryName(folder));
        Assert.True(Directory.Exists(folder), "a running host's folder was taken for abandoned");
        await host.DisposeAsync();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task StartAsync_KeepWorkDirectory_FolderOutlivesTheHostAndNoLaterHostRemovesIt()
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero, KeepWorkDirectory = true });
        var folder = host.WorkDirectory;
        try
        {
            await host.DisposeAsync();

            Assert.True(File.Exists(Path.Combine(folder, "kubeconfig")), "the kept folder lost its kubeconfig");
            TemporaryWorkFolders.RemoveAbandoned(Path.GetDirectoryName(folder));
            Assert.True(Directory.Exists(folder), "a kept folder was removed as abandoned");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RemoveAbandoned_KeptFolderWithoutOwner_Kept()
    {
        var kept = Folder("kept", owner: int.MaxValue.ToString(CultureInfo.InvariantCulture));
        TemporaryWorkFolders.Keep(kept);
        Directory.SetLastWriteTimeUtc(kept, DateTime.UtcNow.AddDays(-2));

        Assert.Equal(0, TemporaryWorkFolders.RemoveAbandoned(_temp.FullName));
        Assert.True(Directory.Exists(kept));
    }

    public void Dispose() => _temp.Delete(recursive: true);

    private string Folder(string name, string? owner)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.FullName, TemporaryWorkFolders.Prefix + name)).FullName;
        if (owner is not null)
        {
            File.WriteAllText(Path.Combine(folder, ".owner-pid"), owner);
        }

        return folder;
    }
}
