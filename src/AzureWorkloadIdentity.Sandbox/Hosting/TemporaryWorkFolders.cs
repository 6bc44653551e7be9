using System.Diagnostics;
using System.Globalization;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// The sandbox's own work folders in the temporary directory (<c>azwi-sandbox-*</c>). A host removes its folder when
/// it stops; a process that is killed (SIGKILL, a test host torn down) cannot, so each folder records its owner's
/// process id and the next host to start removes the folders whose owner is gone. Folders from versions without the
/// record are removed once they are an hour old. Folders named with <c>--work-dir</c> are never touched, nor those a
/// host was told to keep (<c>serve --keep-state</c>, <see cref="Keep"/>).
/// </summary>
internal static class TemporaryWorkFolders
{
    public const string Prefix = "azwi-sandbox-";
    private const string OwnerFile = ".owner-pid";
    private const string KeptFile = ".kept";
    private static readonly TimeSpan UnownedAge = TimeSpan.FromHours(1);

    /// <summary>Creates a new folder owned by this process.</summary>
    public static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return folder;
    }

    /// <summary>Marks <paramref name="folder"/> as kept: no later host removes it; it is the user's to delete.</summary>
    public static void Keep(string folder)
    {
        File.WriteAllText(Path.Combine(folder, KeptFile), "kept by --keep-state; delete this folder when done with it\n");
        File.Delete(Path.Combine(folder, OwnerFile));
    }

    /// <summary>Removes the folders whose owner process no longer runs; returns how many.</summary>
    public static int RemoveAbandoned(string? temporaryDirectory = null)
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(temporaryDirectory ?? Path.GetTempPath(), Prefix + "*"))
        {
            try
            {
                if (IsAbandoned(folder))
                {
                    Directory.Delete(folder, recursive: true);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another host is removing it, or it is not ours to remove: leave it.
            }
        }

        return removed;
    }

    private static bool IsAbandoned(string folder)
    {
        if (File.Exists(Path.Combine(folder, KeptFile)))
        {
            return false;
        }

        var owner = Path.Combine(folder, OwnerFile);
        if (!File.Exists(owner))
        {
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > UnownedAge;
        }

        return !int.TryParse(File.ReadAllText(owner), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
