namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A container that runs as another user must be able to read its program. When a program file sits where that
/// user cannot reach it (a build folder under a private home, say), its folder is copied once into the pod's
/// <c>images</c> folder, readable by all, as pulling an image would make it available to the container.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class ImageStaging
{
    private static readonly Lock Gate = new();

    /// <summary>
    /// The argument itself, or, for an existing file the user cannot read, the path of its staged copy (the pod's
    /// folder, under the kubelet's, is reachable by every user).
    /// </summary>
    public static string ReadableBy(long? user, string argument, string imagesDirectory)
    {
        if (user is null or 0 || !Path.IsPathFullyQualified(argument) || !File.Exists(argument)
            || IsReadableByOthers(argument))
        {
            return argument;
        }

        var source = Path.GetDirectoryName(argument)!;
        var target = Path.Combine(imagesDirectory, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(source)))[..12]);
        lock (Gate)
        {
            if (!System.IO.Directory.Exists(target))
            {
                Copy(new DirectoryInfo(source), target);
            }
        }

        return Path.Combine(target, Path.GetFileName(argument));
    }

    private static bool IsReadableByOthers(string path)
    {
        if (!File.GetUnixFileMode(path).HasFlag(UnixFileMode.OtherRead))
        {
            return false;
        }

        for (var directory = new DirectoryInfo(path).Parent; directory is not null; directory = directory.Parent)
        {
            if (!File.GetUnixFileMode(directory.FullName).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    private static void Copy(DirectoryInfo source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        foreach (var file in source.EnumerateFiles())
        {
            var copy = file.CopyTo(Path.Combine(target, file.Name), overwrite: true);
            File.SetUnixFileMode(copy.FullName, File.GetUnixFileMode(copy.FullName) | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        }

        foreach (var directory in source.EnumerateDirectories())
        {
            Copy(directory, Path.Combine(target, directory.Name));
        }
    }
}
