using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Cli.Commands.Jwks;

/// <summary>
/// Reads every PEM block of a key file, whatever its label, and keeps the public keys in block order. Each block is
/// tried as an RSA private key (PKCS#1, PKCS#8), an RSA public key (SubjectPublicKeyInfo or an X.509 certificate),
/// an EC private key (SEC1, PKCS#8), then an EC public key (SubjectPublicKeyInfo or certificate) — the same order
/// and acceptance as Kubernetes' key reader, so a PKCS#1 <c>RSA PUBLIC KEY</c> block is skipped like there.
/// </summary>
internal static class PublicKeyFileReader
{
    /// <summary>
    /// The files of a <c>--public-keys</c> flag: like a Go string slice flag, repeatable and comma-separated.
    /// </summary>
    public static IReadOnlyList<string> Files(IEnumerable<string>? flagValues) =>
        [.. (flagValues ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>Every public key of every file, in file then block order; the caller disposes them.</summary>
    public static IReadOnlyList<AsymmetricAlgorithm> ReadAll(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var keys = new List<AsymmetricAlgorithm>();
        try
        {
            foreach (var file in files)
            {
                keys.AddRange(Read(file));
            }
        }
        catch
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }

            throw;
        }

        return keys;
    }

    public static IReadOnlyList<AsymmetricAlgorithm> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException(
                $"--public-keys: cannot read public key file {path}: {exception.Message}; pass a readable PEM file");
        }

        var keys = ReadPem(text);
        if (keys.Count == 0)
        {
            throw new CliUsageException(
                $"failed to read public key file: error reading public key file {path}: data does not contain any valid RSA or ECDSA public keys");
        }

        return keys;
    }

    public static IReadOnlyList<AsymmetricAlgorithm> ReadPem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = new List<AsymmetricAlgorithm>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var der = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(remaining[fields.Base64Data], der, out var written))
            {
                var key = TryParse(der.AsSpan(0, written));
                if (key is not null)
                {
                    keys.Add(key);
                }
            }

            remaining = remaining[fields.Location.End..];
        }

        return keys;
    }

    private static AsymmetricAlgorithm? TryParse(ReadOnlySpan<byte> der) =>
        TryRsa(der, static (rsa, d) => rsa.ImportRSAPrivateKey(d, out _))
        ?? TryRsa(der, static (rsa, d) => rsa.ImportPkcs8PrivateKey(d, out _))
        ?? TryRsa(der, static (rsa, d) => rsa.ImportSubjectPublicKeyInfo(d, out _))
        ?? TryCertificateKey(der, static c => c.GetRSAPublicKey())
        ?? TryEc(der, static (ec, d) => ec.ImportECPrivateKey(d, out _))
        ?? TryEc(der, static (ec, d) => ec.ImportPkcs8PrivateKey(d, out _))
        ?? TryEc(der, static (ec, d) => ec.ImportSubjectPublicKeyInfo(d, out _))
        ?? (AsymmetricAlgorithm?)TryCertificateKey(der, static c => c.GetECDsaPublicKey());

    private delegate void Import<in T>(T key, ReadOnlySpan<byte> der);

    private static RSA? TryRsa(ReadOnlySpan<byte> der, Import<RSA> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa, der);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }

    private static ECDsa? TryEc(ReadOnlySpan<byte> der, Import<ECDsa> import)
    {
        var ec = ECDsa.Create();
        try
        {
            import(ec, der);
            return ec;
        }
        catch (CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }

    private static T? TryCertificateKey<T>(ReadOnlySpan<byte> der, Func<X509Certificate2, T?> getKey)
        where T : AsymmetricAlgorithm
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return getKey(certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
