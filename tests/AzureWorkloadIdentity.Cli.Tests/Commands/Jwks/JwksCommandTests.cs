using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Jwks;

public sealed class JwksCommandTests : IDisposable
{
    private const string SpecModulus =
        "ywg7HeKIFX3vleVKZHeYoNpuLHIDisnczYXrUdIGCNilCJFA1ymjG2UAADnt_FpYUsCVyKYJTqcxNbK4boNg_P3uK39OAqXabwYrilEZvsVJQKhzn8dXLeqAnM98L8eBpySU208KTsfMkS3Q6lqwurUP7c_a3g_1XRJukz_EmQxg9jLD_fQd5VwPTEo8HJQIFqIxFWzjTkkK5hbcL9Cclkf6RpeRyjh7Vem57Fu-jAlxDUiYiqyieM4OBNm4CQjiqDE8_xOC8viNpHNw542MYVDKSRnYui31lCOj32wBDphczR8BbnrZgbqN3K_zzB3gIjcGbWbbGA5xKJYqSu5uRwN89_CWrT3vGw5RN3XQPSbhGC4smgZkOCw3N9i1b-x-rrd-mRse6F95ONaoslCJUbJvxvDdb5X0P4_CVZRwJvUyP3OJ44ZvwzshA-zilG-QC9E1j2R9DTSMqOJzUuOxS0JIvoboteI1FAByV9KyU948zQRM7r7MMZYBKWIsu6h7";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Jwks_SpecExampleKey_OutputMatchesDocumentationExactly()
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(SpecModulus),
            Exponent = [1, 0, 1],
        });
        var path = _directory.File("sa.pub");
        await File.WriteAllTextAsync(path, rsa.ExportSubjectPublicKeyInfoPem());

        var run = await CliRunner.RunAsync("jwks", "--public-keys", path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            "{\n  \"keys\": [\n    {\n      \"use\": \"sig\",\n      \"kty\": \"RSA\",\n      \"kid\": \"Me5VC6i4_4mymFj7T5rcUftFjYX70YoCfSnZB6-nBY4\",\n      \"alg\": \"RS256\",\n      \"n\": \""
            + SpecModulus + "\",\n      \"e\": \"AQAB\"\n    }\n  ]\n}",
            run.Out);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(2048)]
    [InlineData(4096)]
    public async Task Jwks_OpenSslRsaPublicKey_KidAndModulusMatchOpenSsl(int bits)
    {
        var key = _directory.File("rsa.pem");
        await OpenSsl.RunAsync("genpkey", "-algorithm", "RSA", "-pkeyopt", $"rsa_keygen_bits:{bits}", "-out", key);
        var pub = _directory.File("rsa.pub");
        await OpenSsl.RunAsync("pkey", "-in", key, "-pubout", "-out", pub);
        var modulusLine = Encoding.ASCII.GetString(await OpenSsl.RunAsync("rsa", "-in", key, "-noout", "-modulus")).Trim();
        var modulus = Convert.FromHexString(modulusLine["Modulus=".Length..]);

        var jwk = await SingleKeyAsync(pub);

        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.Equal("RSA", jwk.GetProperty("kty").GetString());
        Assert.Equal("RS256", jwk.GetProperty("alg").GetString());
        Assert.Equal(await ExpectedKidAsync(key), jwk.GetProperty("kid").GetString());
        Assert.Equal(Base64Url.EncodeToString(modulus), jwk.GetProperty("n").GetString());
        Assert.Equal("AQAB", jwk.GetProperty("e").GetString());
        Assert.Equal(["use", "kty", "kid", "alg", "n", "e"], jwk.EnumerateObject().Select(p => p.Name));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("prime256v1", "P-256", "ES256", 32)]
    [InlineData("secp384r1", "P-384", "ES384", 48)]
    [InlineData("secp521r1", "P-521", "ES512", 66)]
    public async Task Jwks_OpenSslEcPrivateKey_CurveAlgAndPaddedCoordinates(string openSslCurve, string crv, string alg, int size)
    {
        var key = _directory.File("ec.pem");
        await OpenSsl.RunAsync("ecparam", "-name", openSslCurve, "-genkey", "-noout", "-out", key);
        var spki = await OpenSsl.RunAsync("pkey", "-in", key, "-pubout", "-outform", "DER");
        var point = spki[^(2 * size)..];

        var jwk = await SingleKeyAsync(key);

        Assert.Equal(["use", "kty", "kid", "crv", "alg", "x", "y"], jwk.EnumerateObject().Select(p => p.Name));
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal(crv, jwk.GetProperty("crv").GetString());
        Assert.Equal(alg, jwk.GetProperty("alg").GetString());
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(spki)), jwk.GetProperty("kid").GetString());
        Assert.Equal(Base64Url.EncodeToString(point[..size]), jwk.GetProperty("x").GetString());
        Assert.Equal(Base64Url.EncodeToString(point[size..]), jwk.GetProperty("y").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Jwks_Certificate_UsesTheCertificatesPublicKey()
    {
        var key = _directory.File("ec.pem");
        await OpenSsl.RunAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
        var certificate = _directory.File("cert.pem");
        await OpenSsl.RunAsync("req", "-x509", "-new", "-key", key, "-subj", "/CN=azwi-test", "-days", "1", "-out", certificate);

        var jwk = await SingleKeyAsync(certificate);

        Assert.Equal(await ExpectedKidAsync(key), jwk.GetProperty("kid").GetString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Jwks_SeveralKeysAndFiles_FileThenBlockOrderWithDuplicatesKept()
    {
        var rsa = _directory.File("rsa.pem");
        await OpenSsl.RunAsync("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa);
        var ec = _directory.File("ec.pem");
        await OpenSsl.RunAsync("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", ec);
        var pkcs1Public = Encoding.ASCII.GetString(await OpenSsl.RunAsync("rsa", "-in", rsa, "-RSAPublicKey_out"));
        var bundle = _directory.File("bundle.pem");
        // An RSA PUBLIC KEY (PKCS#1) block is skipped, as Kubernetes' reader does.
        await File.WriteAllTextAsync(bundle,
            Encoding.ASCII.GetString(await OpenSsl.RunAsync("pkey", "-in", ec, "-pubout"))
            + pkcs1Public
            + Encoding.ASCII.GetString(await OpenSsl.RunAsync("pkey", "-in", rsa, "-pubout")));

        var run = await CliRunner.RunAsync("jwks", "--public-keys", bundle, "--public-keys", $"{rsa},{ec}");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var kids = JsonDocument.Parse(run.Out).RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()).ToList();
        var rsaKid = await ExpectedKidAsync(rsa);
        var ecKid = await ExpectedKidAsync(ec);
        Assert.Equal([ecKid, rsaKid, rsaKid, ecKid], kids);
    }

    [Fact(Timeout = 60_000)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Jwks_OutputFile_WrittenOwnerOnlyAndNothingOnStdout()
    {
        var key = _directory.File("ec.pem");
        await OpenSsl.RunAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
        var output = _directory.File("jwks.json");
        await File.WriteAllTextAsync(output, "previous content that is longer than nothing at all, to be replaced");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var run = await CliRunner.RunAsync("jwks", "--public-keys", key, "--output-file", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        var text = await File.ReadAllTextAsync(output);
        Assert.EndsWith("}", text, StringComparison.Ordinal);
        Assert.Equal(await ExpectedKidAsync(key),
            JsonDocument.Parse(text).RootElement.GetProperty("keys")[0].GetProperty("kid").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Jwks_NoPublicKeys_ErrorNamesTheFlag()
    {
        var run = await CliRunner.RunAsync("jwks");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("Error: no public keys provided: pass --public-keys <file> (repeat it for several files)\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Jwks_MissingFile_OneLineNamingFlagAndFile()
    {
        var missing = _directory.File("missing.pub");

        var run = await CliRunner.RunAsync("jwks", "--public-keys", missing);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: --public-keys: cannot read public key file " + missing, line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Jwks_FileWithoutUsableKey_DocumentedError()
    {
        var rsa = _directory.File("rsa.pem");
        await OpenSsl.RunAsync("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa);
        var pkcs1 = _directory.File("pkcs1.pub");
        await OpenSsl.RunAsync("rsa", "-in", rsa, "-RSAPublicKey_out", "-out", pkcs1);

        var run = await CliRunner.RunAsync("jwks", "--public-keys", pkcs1);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            $"Error: failed to read public key file: error reading public key file {pkcs1}: data does not contain any valid RSA or ECDSA public keys\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact(Timeout = 60_000)]
    public async Task Jwks_UnsupportedCurve_ErrorNamesSupportedCurves()
    {
        var key = _directory.File("k1.pem");
        await OpenSsl.RunAsync("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", key);

        var run = await CliRunner.RunAsync("jwks", "--public-keys", key);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("Error: unknown private key curve, must be 256, 384, or 521", run.Error, StringComparison.Ordinal);
    }

    private async Task<JsonElement> SingleKeyAsync(string path)
    {
        var run = await CliRunner.RunAsync("jwks", "--public-keys", path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.DoesNotContain('\n', run.Out[^1..]);
        return Assert.Single(JsonDocument.Parse(run.Out).RootElement.GetProperty("keys").EnumerateArray().ToList());
    }

    private static async Task<string> ExpectedKidAsync(string keyPath) =>
        Base64Url.EncodeToString(SHA256.HashData(await OpenSsl.RunAsync("pkey", "-in", keyPath, "-pubout", "-outform", "DER")));
}
