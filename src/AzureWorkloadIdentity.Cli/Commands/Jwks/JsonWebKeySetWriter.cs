using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AzureWorkloadIdentity.Cli.Commands.Jwks;

/// <summary>
/// Writes <c>{"keys":[…]}</c> with members in the documented order (use, kty, kid, crv, alg, x, y, n, e),
/// two-space indentation and no trailing newline. The key id is base64url (no padding) of SHA-256 over the DER
/// SubjectPublicKeyInfo — what Kubernetes puts in the <c>kid</c> header of service account tokens.
/// </summary>
internal static class JsonWebKeySetWriter
{
    public static string Write(IEnumerable<AsymmetricAlgorithm> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                WriteKey(writer, key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string KeyId(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The JWS algorithm a key signs with, as published in its JWK's <c>alg</c>.</summary>
    public static string Algorithm(AsymmetricAlgorithm key) => key switch
    {
        RSA => "RS256",
        ECDsa ec => Curve(ec.ExportParameters(includePrivateParameters: false).Curve).Alg,
        _ => throw new CliUsageException($"--public-keys: unsupported key type {key?.GetType().Name}; use RSA or ECDSA keys"),
    };

    private static void WriteKey(Utf8JsonWriter writer, AsymmetricAlgorithm key)
    {
        writer.WriteStartObject();
        writer.WriteString("use", "sig");
        switch (key)
        {
            case RSA rsa:
            {
                var parameters = rsa.ExportParameters(includePrivateParameters: false);
                writer.WriteString("kty", "RSA");
                writer.WriteString("kid", KeyId(rsa));
                writer.WriteString("alg", "RS256");
                writer.WriteString("n", Base64Url.EncodeToString(TrimLeadingZeros(parameters.Modulus!)));
                writer.WriteString("e", Base64Url.EncodeToString(TrimLeadingZeros(parameters.Exponent!)));
                break;
            }

            case ECDsa ec:
            {
                var parameters = ec.ExportParameters(includePrivateParameters: false);
                var (curve, alg, size) = Curve(parameters.Curve);
                writer.WriteString("kty", "EC");
                writer.WriteString("kid", KeyId(ec));
                writer.WriteString("crv", curve);
                writer.WriteString("alg", alg);
                writer.WriteString("x", Base64Url.EncodeToString(LeftPad(parameters.Q.X!, size)));
                writer.WriteString("y", Base64Url.EncodeToString(LeftPad(parameters.Q.Y!, size)));
                break;
            }

            default:
                throw new CliUsageException($"--public-keys: unsupported key type {key.GetType().Name}; use RSA or ECDSA keys");
        }

        writer.WriteEndObject();
    }

    private static (string Curve, string Alg, int Size) Curve(ECCurve curve) => curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => ("P-256", "ES256", 32),
        "1.3.132.0.34" => ("P-384", "ES384", 48),
        "1.3.132.0.35" => ("P-521", "ES512", 66),
        _ => throw new CliUsageException(
            $"unknown private key curve, must be 256, 384, or 521 (got {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "an unnamed curve"}); --public-keys accepts P-256, P-384 and P-521 EC keys"),
    };

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static byte[] LeftPad(byte[] value, int size)
    {
        if (value.Length >= size)
        {
            return value;
        }

        var padded = new byte[size];
        value.CopyTo(padded, size - value.Length);
        return padded;
    }
}
