namespace AzureWorkloadIdentity.Cli.Output;

/// <summary>Writes a command's <c>--output-file</c> (overwriting it), with a one-line error when the path is not writable.</summary>
internal static class OutputFile
{
    /// <param name="ownerOnly">Mode 0600 (as the original's JWKS file); otherwise the process's default mode.</param>
    public static async Task WriteAsync(string path, string text, bool ownerOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(path, options))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }

            // UnixCreateMode applies only to new files; an existing file keeps its mode unless set again.
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliUsageException($"--output-file: cannot write {path}: {exception.Message}; choose a writable path");
        }
    }
}
