using System.Text;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Local mode: writes <c>tls.crt</c>, <c>tls.key</c> and <c>ca.crt</c> into the cert dir the webhook serves from
/// (outside a cluster nothing projects the Secret there). Each file is replaced by rename, and only when its
/// content differs, so the certificate reload sees whole files and no needless change.
/// </summary>
internal static class CertificateFiles
{
    /// <summary>Writes the files; returns true when any of them changed.</summary>
    public static bool Write(string directory, CertificateMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        Directory.CreateDirectory(directory);
        var changed = false;

        // A reader between the two renames sees a mismatched pair; the reload rejects it, keeps serving the
        // previous certificate and picks up the pair on the next change event or poll.
        changed |= WriteIfDifferent(Path.Combine(directory, CertificateMaterial.TlsKeyKey), material.TlsKeyPem, secret: true);
        changed |= WriteIfDifferent(Path.Combine(directory, CertificateMaterial.TlsCertificateKey), material.TlsCertificatePem, secret: false);
        changed |= WriteIfDifferent(Path.Combine(directory, CertificateMaterial.CaCertificateKey), material.CaBundlePem, secret: false);
        return changed;
    }

    private static bool WriteIfDifferent(string path, string content, bool secret)
    {
        var bytes = Encoding.ASCII.GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        var temporary = path + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (secret && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(bytes);
        }

        File.Move(temporary, path, overwrite: true);
        return true;
    }
}
