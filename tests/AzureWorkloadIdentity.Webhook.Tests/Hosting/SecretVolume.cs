namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>
/// Writes files as the kubelet projects a Secret volume: a new hidden version directory, the <c>..data</c> symlink
/// swapped to it atomically, and one symlink per file through <c>..data</c>.
/// </summary>
internal static class SecretVolume
{
    public static void Project(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        var version = Path.Combine(directory, "..v" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(version);
        foreach (var (name, content) in files)
        {
            File.WriteAllBytes(Path.Combine(version, name), content);
        }

        var temporary = Path.Combine(directory, "..data_tmp");
        File.CreateSymbolicLink(temporary, Path.GetFileName(version));
        RenameOver(temporary, Path.Combine(directory, "..data"));
        foreach (var name in files.Keys)
        {
            var link = Path.Combine(directory, name);
            if (!Path.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", name));
            }
        }
    }

    // rename(2) replaces the symlink atomically, as the kubelet does; .NET's File.Move follows the link to the directory.
    private static void RenameOver(string source, string destination)
    {
        using var move = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mv", ["-Tf", source, destination]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start mv");
        move.WaitForExit();
        if (move.ExitCode != 0)
        {
            throw new IOException($"mv -Tf {source} {destination} failed with exit code {move.ExitCode}");
        }
    }
}
