using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.TestUtilities;
using k8s;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>
/// <c>--auth-method client_certificate</c> end to end: a certificate made with openssl is registered on the sandbox
/// operator's application, and azwi signs in with the PEM certificate and its PKCS#1 or PKCS#8 key.
/// </summary>
public sealed class ClientCertificateSandboxTests : IAsyncLifetime, IDisposable
{
    private const string Account = "cert-sa";
    private readonly TempDirectory _files = new();
    private SandboxCli _cli = null!;

    public async Task InitializeAsync()
    {
        _cli = await SandboxCli.StartAsync();
        await OpenSsl.RunAsync(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=azwi-operator",
            "-keyout", _files.File("pkcs8.key"), "-out", _files.File("operator.crt"));
        await OpenSsl.RunAsync("rsa", "-in", _files.File("pkcs8.key"), "-traditional", "-out", _files.File("pkcs1.key"));
        await OpenSsl.RunAsync(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other",
            "-keyout", _files.File("other.key"), "-out", _files.File("other.crt"));
        Register(X509CertificateLoader.LoadCertificateFromFile(_files.File("operator.crt")));
    }

    public async Task DisposeAsync() => await _cli.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Theory(Timeout = 120_000)]
    [InlineData("pkcs8.key", "-----BEGIN PRIVATE KEY-----")]
    [InlineData("pkcs1.key", "-----BEGIN RSA PRIVATE KEY-----")]
    public async Task Create_ClientCertificate_SignsInAndCreatesTheObjects(string keyFile, string pemLabel)
    {
        Assert.StartsWith(pemLabel, await File.ReadAllTextAsync(_files.File(keyFile)), StringComparison.Ordinal);

        var run = await _cli.RunAsync(Args(_files.File("operator.crt"), _files.File(keyFile)));

        Assert.True(run.ExitCode == 0, run.Error);
        var appName = WorkloadIdentityNames.ApplicationName("default", Account, _cli.Issuer);
        var app = Assert.Single(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == appName);
        Assert.Equal("system:serviceaccount:default:cert-sa", Assert.Single(app.FederatedCredentials).Subject);
        using var kubernetes = _cli.Kubernetes();
        var account = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default");
        Assert.Equal(app.AppId, account.Metadata.Annotations["azure.workload.identity/client-id"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_KeyOfAnotherCertificate_OneClearLineAndExit1()
    {
        var run = await _cli.RunAsync(Args(_files.File("operator.crt"), _files.File("other.key")));

        var last = FailureLine(run);
        Assert.Contains("--certificate-path/--private-key-path", last, StringComparison.Ordinal);
        Assert.Contains("does not match", last, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName.StartsWith("default-cert-sa", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_UnreadableKeyFile_OneClearLineAndExit1()
    {
        var missing = _files.File("missing.key");

        var run = await _cli.RunAsync(Args(_files.File("operator.crt"), missing));

        var last = FailureLine(run);
        Assert.Contains("cannot load the certificate and key", last, StringComparison.Ordinal);
        Assert.Contains("missing.key", last, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_CertificateNotRegistered_EntraRefusalInOneLine()
    {
        var run = await _cli.RunAsync(Args(_files.File("other.crt"), _files.File("other.key")));

        var last = FailureLine(run);
        Assert.Contains("AADSTS700027", last, StringComparison.Ordinal);
    }

    private string[] Args(string certificate, string key) => _cli.CertificateAuth(
        certificate, key,
        "serviceaccount", "create", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
        "--skip-phases", "role-assignment");

    /// <summary>Exit code 1 and the one <c>Error: …</c> line azwi ends with.</summary>
    private static string FailureLine(CliRun run)
    {
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var last = run.Error.Trim().Split('\n')[^1];
        Assert.StartsWith("Error: ", last, StringComparison.Ordinal);
        return last;
    }

    /// <summary>Adds the certificate to the operator's application, as a Graph PATCH of its keyCredentials would.</summary>
    private void Register(X509Certificate2 certificate)
    {
        using (certificate)
        {
            var directory = _cli.Host.Directory;
            var key = new KeyCredential(
                Guid.NewGuid().ToString(), certificate.Subject, certificate.RawData, certificate.GetCertHash(),
                certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            directory.Update(state =>
            {
                var app = state.Applications.Values.Single(a => a.AppId == _cli.Host.Operator.ClientId);
                return (state with { Applications = state.Applications.With(app.ObjectId, app with { KeyCredentials = [key] }) }, 0);
            });
        }
    }
}
