using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Tests.Entra;

namespace AzureWorkloadIdentity.Sandbox.Tests.Hosting;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SandboxStateTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task StateFile_SecondHostSeesWhatTheFirstCreated_AndKeepsTheOperator()
    {
        var file = Path.Combine(Path.GetTempPath(), "sandbox-state-" + Guid.NewGuid().ToString("N") + ".json");
        var tenant = Guid.NewGuid().ToString();
        string appId;
        string operatorId;
        await using (var first = await SandboxHost.StartAsync(new SandboxOptions { StateFile = file, TenantId = tenant }))
        {
            appId = WorkloadIdentityWorld.AddApplication(first.Directory, "kept-app").AppId;
            operatorId = first.Operator.ClientId;
            first.SaveState();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        await using var second = await SandboxHost.StartAsync(new SandboxOptions { StateFile = file, TenantId = tenant });

        var (application, _) = second.Directory.FindClient(appId.ToUpperInvariant());
        Assert.Equal("kept-app", application?.DisplayName);
        Assert.Equal(operatorId, second.Operator.ClientId);
        File.Delete(file);
    }

    [Fact]
    public void SaveAndLoad_ApplicationCertificates_Survive()
    {
        var file = Path.Combine(Path.GetTempPath(), "sandbox-state-" + Guid.NewGuid().ToString("N") + ".json");
        var directory = new Cloud.SandboxDirectory(Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        using var certificate = TestCertificates.Create();
        var app = WorkloadIdentityWorld.AddApplication(directory, "with-cert");
        var key = new Cloud.KeyCredential(Guid.NewGuid().ToString(), "CN=x", certificate.RawData, certificate.GetCertHash(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        directory.Update(state => (state with { Applications = Cloud.DirectoryMaps.With(state.Applications, app.ObjectId, app with { KeyCredentials = [key] }) }, 0));

        SandboxState.Save(file, directory.Snapshot);
        var loaded = SandboxState.Load(file);

        var stored = Assert.Single(loaded.Applications[app.ObjectId].KeyCredentials);
        Assert.Equal(certificate.RawData, stored.Certificate);
        Assert.Equal(key.KeyId, stored.KeyId);
        File.Delete(file);
    }

    [Fact]
    public void Load_NotJson_SaysHowToRecover()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => SandboxState.Load(file));

        Assert.Contains("delete it to start afresh", error.Message, StringComparison.Ordinal);
        File.Delete(file);
    }
}
