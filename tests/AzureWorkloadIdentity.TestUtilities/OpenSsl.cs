using System.Diagnostics;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>Makes keys with the openssl command, so the tests do not check azwi's crypto with itself.</summary>
public static class OpenSsl
{
    public static async Task<byte[]> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                "The openssl command is required by these tests; install it (apt-get install openssl, see scripts/install-prereqs.sh).", exception);
        }

        using (process)
        {
            using var memory = new MemoryStream();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var copy = process.StandardOutput.BaseStream.CopyToAsync(memory, timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            await copy;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {await error}");
            }

            return memory.ToArray();
        }
    }

    /// <summary>The documentation's key pair: <c>openssl genrsa -out NAME.key 2048</c> and <c>openssl rsa -in NAME.key -pubout -out NAME.pub</c>.</summary>
    public static async Task<(string Key, string Pub)> GenerateRsaKeyPairAsync(string directory, string name)
    {
        var key = Path.Combine(directory, name + ".key");
        var pub = Path.Combine(directory, name + ".pub");
        await RunAsync("genrsa", "-out", key, "2048");
        await RunAsync("rsa", "-in", key, "-pubout", "-out", pub);
        return (key, pub);
    }
}
