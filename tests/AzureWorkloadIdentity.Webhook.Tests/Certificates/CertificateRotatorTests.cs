using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.Certificates;
using k8s;
using k8s.Models;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>The reconcile pass against the sandbox's Kubernetes API (Secrets and MutatingWebhookConfigurations).</summary>
public sealed class CertificateRotatorTests
{
    [Fact(Timeout = 60_000)]
    public async Task Reconcile_EmptySecret_FillsSecretAndInjectsBundleIntoEveryWebhook()
    {
        await using var cluster = await SandboxCluster.StartAsync(webhooks: 2);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "wi-cert" }, Type = "Opaque" }, "wi-system");
        var state = new CertificateRotationState();

        var material = await cluster.Rotator(state).ReconcileAsync(CancellationToken.None);

        var secret = await cluster.SecretAsync();
        Assert.Equal(
            ["ca.crt", "ca.key", "tls.crt", "tls.key"],
            secret.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(material, CertificateMaterial.FromSecretData(secret.Data));
        using var server = Server(material);
        Assert.True(server.MatchesHostname("wi-webhook.wi-system.svc", allowWildcards: false, allowCommonName: false));
        var configuration = await cluster.ConfigurationAsync();
        Assert.Equal(2, configuration.Webhooks.Count);
        Assert.All(configuration.Webhooks, webhook => Assert.Equal(material.CaBundlePem, Encoding.ASCII.GetString(webhook.ClientConfig.CaBundle)));
        Assert.Equal(2, state.WebhookCaBundles.Count);
        Assert.Null(state.LastError);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_ObjectsWithManagedFields_AreUpdated()
    {
        // Objects written by kubectl, Helm or controllers carry managedFields whose fieldsV1 is untyped JSON; the
        // rotator reads and writes them back whole (KubernetesClient.Aot's own serializer could not write fieldsV1).
        await using var cluster = await SandboxCluster.StartAsync(createConfiguration: false);
        var managedFields = new JsonArray(new JsonObject
        {
            ["manager"] = "helm",
            ["operation"] = "Update",
            ["apiVersion"] = "v1",
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = new JsonObject { ["f:metadata"] = new JsonObject { ["f:labels"] = new JsonObject() } },
        });
        cluster.Server.Store.Create(ResourceCatalog.Secrets, "wi-system", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "wi-cert", ["managedFields"] = managedFields.DeepClone() },
            ["type"] = "Opaque",
        });
        var configuration = JsonNode.Parse(k8s.KubernetesJson.Serialize(SandboxCluster.Configuration(webhooks: 2)))!.AsObject();
        configuration["metadata"]!["managedFields"] = managedFields.DeepClone();
        cluster.Server.Store.Create(ResourceCatalog.MutatingWebhookConfigurations, null, configuration);

        var material = await cluster.Rotator().ReconcileAsync(CancellationToken.None);

        var secret = await cluster.SecretAsync();
        Assert.Equal(material, CertificateMaterial.FromSecretData(secret.Data));
        Assert.Equal("helm", Assert.Single(secret.Metadata.ManagedFields).Manager);
        var updated = await cluster.ConfigurationAsync();
        Assert.All(updated.Webhooks, webhook => Assert.Equal(material.CaBundlePem, Encoding.ASCII.GetString(webhook.ClientConfig.CaBundle)));
        Assert.Equal("helm", Assert.Single(updated.Metadata.ManagedFields).Manager);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_SecretMissing_CreatesIt()
    {
        await using var cluster = await SandboxCluster.StartAsync();

        var material = await cluster.Rotator().ReconcileAsync(CancellationToken.None);

        Assert.Equal(material, CertificateMaterial.FromSecretData((await cluster.SecretAsync()).Data));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_Repeated_WritesNothing()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var rotator = cluster.Rotator();
        await rotator.ReconcileAsync(CancellationToken.None);
        var secretVersion = (await cluster.SecretAsync()).Metadata.ResourceVersion;
        var configurationVersion = (await cluster.ConfigurationAsync()).Metadata.ResourceVersion;

        cluster.Time.Advance(TimeSpan.FromDays(30));
        await rotator.ReconcileAsync(CancellationToken.None);

        Assert.Equal(secretVersion, (await cluster.SecretAsync()).Metadata.ResourceVersion);
        Assert.Equal(configurationVersion, (await cluster.ConfigurationAsync()).Metadata.ResourceVersion);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(null)]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public async Task Reconcile_CaBundleOverwritten_Repaired(string? overwritten)
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var rotator = cluster.Rotator();
        var material = await rotator.ReconcileAsync(CancellationToken.None);
        await cluster.OverwriteCaBundleAsync(overwritten is null ? null : Encoding.ASCII.GetBytes(overwritten));

        var repaired = await rotator.ReconcileAsync(CancellationToken.None);

        Assert.Equal(material, repaired);
        var configuration = await cluster.ConfigurationAsync();
        Assert.All(configuration.Webhooks, webhook => Assert.Equal(material.CaBundleBytes, webhook.ClientConfig.CaBundle));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_AheadOfServerExpiry_RenewsServerCertificateOnly()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var rotator = cluster.Rotator();
        var first = await rotator.ReconcileAsync(CancellationToken.None);
        using var firstServer = Server(first);

        cluster.Time.SetUtcNow(new DateTimeOffset(firstServer.NotAfter.ToUniversalTime(), TimeSpan.Zero) - TimeSpan.FromDays(60));
        var renewed = await rotator.ReconcileAsync(CancellationToken.None);

        using var renewedServer = Server(renewed);
        Assert.NotEqual(firstServer.Thumbprint, renewedServer.Thumbprint);
        Assert.True(renewedServer.NotAfter > firstServer.NotAfter);
        Assert.Equal(first.CaBundlePem, renewed.CaBundlePem);
        Assert.Equal(renewed, CertificateMaterial.FromSecretData((await cluster.SecretAsync()).Data));
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_CaRollover_OldCaTrustedUntilServerMovesToNewCa()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var options = Options();
        var rotator = cluster.Rotator(options: options);
        var first = await rotator.ReconcileAsync(CancellationToken.None);
        var oldCa = Assert.Single(Bundle(first));

        // Keep the server certificate renewed while time runs up to the CA's renewal window.
        var rollover = Start + options.CaValidity - options.CaRenewBefore + TimeSpan.FromDays(1);
        for (var at = Start; at < rollover; at += options.ServerValidity - options.ServerRenewBefore)
        {
            cluster.Time.SetUtcNow(at);
            await rotator.ReconcileAsync(CancellationToken.None);
        }

        cluster.Time.SetUtcNow(rollover);
        var phase1 = await rotator.ReconcileAsync(CancellationToken.None);
        var bundle = Bundle(phase1);
        Assert.Equal(2, bundle.Count);
        Assert.Equal(oldCa.Thumbprint, bundle[1].Thumbprint);
        using (var server = Server(phase1))
        {
            Assert.True(CertificateInspector.ChainsTo(server, [oldCa], rollover), "phase 1 keeps serving the certificate of the old CA");
        }

        Assert.All((await cluster.ConfigurationAsync()).Webhooks, webhook => Assert.Equal(phase1.CaBundleBytes, webhook.ClientConfig.CaBundle));

        cluster.Time.Advance(options.ReconcileInterval);
        var phase2 = await rotator.ReconcileAsync(CancellationToken.None);
        using var moved = Server(phase2);
        Assert.True(CertificateInspector.ChainsTo(moved, [bundle[0]], cluster.Time.GetUtcNow()), "phase 2 serves a certificate of the new CA");
        Assert.Equal(phase1.CaBundlePem, phase2.CaBundlePem);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_TwoReplicasRacing_OnlyOneWritesAndBothAgree()
    {
        // Hold the first read of the Secret until the second replica has read it too: both see it empty.
        var reads = 0;
        var armed = 0;
        var bothRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverOptions = new KubernetesApiServerOptions
        {
            OnRequest = async context =>
            {
                if (Volatile.Read(ref armed) == 1 && context.Request.Method == "GET" && context.Request.Path.Value!.EndsWith("/secrets/wi-cert", StringComparison.Ordinal)
                    && Interlocked.Increment(ref reads) <= 2)
                {
                    if (Volatile.Read(ref reads) >= 2)
                    {
                        bothRead.TrySetResult();
                    }

                    await bothRead.Task.WaitAsync(TimeSpan.FromSeconds(20));
                }
            },
        };
        await using var cluster = await SandboxCluster.StartAsync(serverOptions);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "wi-cert" } }, "wi-system");
        var versionBefore = long.Parse((await cluster.SecretAsync()).Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
        Volatile.Write(ref armed, 1);

        var results = await Task.WhenAll(
            Task.Run(() => cluster.Rotator().ReconcileAsync(CancellationToken.None)),
            Task.Run(() => cluster.Rotator().ReconcileAsync(CancellationToken.None)));

        Assert.True(bothRead.Task.IsCompletedSuccessfully, "both replicas read the empty secret before either wrote");
        Assert.Equal(results[0], results[1]);
        var secret = await cluster.SecretAsync();
        Assert.Equal(results[0], CertificateMaterial.FromSecretData(secret.Data));
        // Two writes reached the API: the winner's and the loser's, rejected with 409; the loser then adopted
        // the winner's certificates instead of writing again.
        Assert.Equal(2, cluster.Server.Requests.Count("update", "secrets"));
        Assert.All((await cluster.ConfigurationAsync()).Webhooks, webhook => Assert.Equal(results[0].CaBundleBytes, webhook.ClientConfig.CaBundle));
        Assert.True(long.Parse(secret.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > versionBefore);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_WebhookConfigurationMissing_FailsNamingItAndTheFix()
    {
        await using var cluster = await SandboxCluster.StartAsync(createConfiguration: false);

        var exception = await Assert.ThrowsAsync<CertificateRotationException>(() => cluster.Rotator().ReconcileAsync(CancellationToken.None));

        Assert.Contains("mutatingwebhookconfiguration wi-mwc", exception.Message, StringComparison.Ordinal);
        Assert.Contains("404", exception.Message, StringComparison.Ordinal);
        Assert.Contains("install the chart", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_LocalMode_WritesFilesIntoCertDir()
    {
        var directory = Directory.CreateTempSubdirectory("wi-certs-");
        try
        {
            await using var cluster = await SandboxCluster.StartAsync();

            var material = await cluster.Rotator(options: Options(directory.FullName), writeFiles: true).ReconcileAsync(CancellationToken.None);

            Assert.Equal(material.TlsCertificatePem, await File.ReadAllTextAsync(Path.Combine(directory.FullName, "tls.crt")));
            Assert.Equal(material.TlsKeyPem, await File.ReadAllTextAsync(Path.Combine(directory.FullName, "tls.key")));
            Assert.Equal(material.CaBundlePem, await File.ReadAllTextAsync(Path.Combine(directory.FullName, "ca.crt")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.FullName, "tls.key")));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
