using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Sandbox.Tests.Entra;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>PATCH /applications/{id} with keyCredentials through the real Graph SDK, and how GET returns them.</summary>
public sealed class ApplicationKeyCredentialsTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task Patch_Certificate_StoredWithThumbprintDatesAndSubject()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "with-cert" });
        using var certificate = TestCertificates.Create("CN=with-cert");

        await sandbox.Client.Applications[app!.Id].PatchAsync(new Application { KeyCredentials = [Upload(certificate)] });

        var stored = Assert.Single(Assert.Single(sandbox.Directory.Snapshot.Applications.Values).KeyCredentials);
        Assert.Equal(certificate.RawData, stored.Certificate);
        Assert.Equal(certificate.GetCertHash(), stored.CustomKeyIdentifier);
        Assert.Equal("CN=with-cert", stored.DisplayName);
        Assert.Equal(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), stored.EndDateTime);
        Assert.True(Guid.TryParse(stored.KeyId, out _));
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_SelectKeyCredentials_ReturnsCertificateBytes_PlainGetDoesNot()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "read-cert" });
        using var certificate = TestCertificates.Create();
        await sandbox.Client.Applications[app!.Id].PatchAsync(new Application { KeyCredentials = [Upload(certificate)] });

        var selected = await sandbox.Client.Applications[app.Id].GetAsync(r => r.QueryParameters.Select = ["keyCredentials"]);
        var plain = await sandbox.Client.Applications[app.Id].GetAsync();

        var key = Assert.Single(selected!.KeyCredentials!);
        Assert.Equal(certificate.RawData, key.Key);
        Assert.Equal(certificate.GetCertHash(), key.CustomKeyIdentifier);
        Assert.Equal("AsymmetricX509Cert", key.Type);
        Assert.Equal("Verify", key.Usage);
        Assert.Null(selected.DisplayName);
        var listed = Assert.Single(plain!.KeyCredentials!);
        Assert.Null(listed.Key);
        Assert.Equal(key.KeyId, listed.KeyId);
        Assert.Equal("read-cert", plain.DisplayName);
    }

    [Fact(Timeout = Timeout)]
    public async Task Patch_ExistingKeyIdWithoutKey_KeepsIt_NewListReplacesOthers()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "rotate" });
        using var first = TestCertificates.Create("CN=first");
        using var second = TestCertificates.Create("CN=second");
        using var third = TestCertificates.Create("CN=third");
        await sandbox.Client.Applications[app!.Id].PatchAsync(new Application { KeyCredentials = [Upload(first), Upload(second)] });
        var kept = sandbox.Directory.Snapshot.Applications[app.Id!].KeyCredentials.Single(k => k.DisplayName == "CN=first");

        await sandbox.Client.Applications[app.Id].PatchAsync(new Application
        {
            KeyCredentials = [new KeyCredential { KeyId = Guid.Parse(kept.KeyId), Type = "AsymmetricX509Cert", Usage = "Verify" }, Upload(third)],
        });

        var names = sandbox.Directory.Snapshot.Applications[app.Id!].KeyCredentials.Select(k => k.DisplayName).ToArray();
        Assert.Equal(new[] { "CN=first", "CN=third" }, names);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("not a certificate", "AsymmetricX509Cert", "Verify", "not a valid X.509 certificate")]
    [InlineData(null, "Symmetric", "Verify", "type 'Symmetric'")]
    [InlineData(null, "AsymmetricX509Cert", "Sign", "usage 'Sign'")]
    public async Task Patch_InvalidKeyCredential_400BadRequestAndNothingChanges(string? keyText, string type, string usage, string expected)
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "invalid" });
        using var certificate = TestCertificates.Create();
        var key = keyText is null ? certificate.RawData : System.Text.Encoding.UTF8.GetBytes(keyText);

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications[app!.Id].PatchAsync(new Application
        {
            KeyCredentials = [new KeyCredential { Type = type, Usage = usage, Key = key }],
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", error.Error?.Code);
        Assert.Contains(expected, error.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(sandbox.Directory.Snapshot.Applications[app!.Id!].KeyCredentials);
    }

    [Fact(Timeout = Timeout)]
    public async Task Patch_UnknownApplication_404()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications[Guid.NewGuid().ToString()].PatchAsync(new Application { DisplayName = "x" }));

        Assert.Equal(404, error.ResponseStatusCode);
    }

    private static KeyCredential Upload(X509Certificate2 certificate) => new()
    {
        Type = "AsymmetricX509Cert",
        Usage = "Verify",
        Key = certificate.RawData,
    };
}
