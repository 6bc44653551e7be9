using System.Globalization;
using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.TestUtilities;
using AzureWorkloadIdentity.Webhook.Configuration;
using Microsoft.Extensions.Configuration;

namespace AzureWorkloadIdentity.Webhook.Tests.Configuration;

public sealed class WebhookSettingsTests
{
    [Fact]
    public void Load_GoStyleFlags_ReachTheirOptions()
    {
        var settings = Load(["-port=1234", "--webhook-cert-dir", "/c", "--disable-cert-rotation", "--log-format=json", "--kubeconfig", "/k"]);

        Assert.Equal(1234, settings.Webhook.Port);
        Assert.Equal("/c", settings.Webhook.WebhookCertDir);
        Assert.True(settings.Webhook.DisableCertRotation);
        Assert.False(settings.CertificateRotation.Enabled);
        Assert.Equal("json", settings.Webhook.LogFormat);
        Assert.Equal("/k", settings.ServiceAccountCache.Kubeconfig);
    }

    [Fact]
    public void Docs_FlagAndEnvironmentTables_MatchTheParser() =>
        SettingsDocumentation.AssertDocuments(WebhookSettings.Table, "webhook.md");

    [Fact]
    public void Table_EveryKey_BindsAnOptionsPropertyWhoseDefaultIsTheDocumentedOne()
    {
        var defaults = Load([]);
        foreach (var setting in WebhookSettings.Table.Settings)
        {
            var (section, property) = (setting.Key.Split(':')[0], setting.Key.Split(':')[1]);
            var options = Section(defaults, section);
            var info = options.GetType().GetProperty(property);
            Assert.True(info is not null, $"{setting.DisplayName}: {options.GetType().Name} has no property {property}");
            if (setting.Default.Length == 0 || info.GetValue(options) is not { } value || !Parses(setting))
            {
                continue; // no default, unset meaning a computed default (e.g. the public cloud), or a default described in words
            }

            var bound = Section(Load([], (setting.Key, setting.Default)), section);
            Assert.Equal(Text(value), Text(info.GetValue(bound)!));
            Assert.Equal(setting.Default, setting.Type == SettingType.Text ? Text(value) : setting.Default);
        }
    }

    private static object Section(WebhookConfiguration settings, string section) => section switch
    {
        "Webhook" => settings.Webhook,
        "ServiceAccountCache" => settings.ServiceAccountCache,
        "CertificateRotation" => settings.CertificateRotation,
        _ => throw new InvalidOperationException($"unknown section {section}"),
    };

    private static bool Parses(Setting setting) => setting.Type switch
    {
        SettingType.Boolean => bool.TryParse(setting.Default, out _),
        SettingType.TimeSpan => TimeSpan.TryParse(setting.Default, CultureInfo.InvariantCulture, out _),
        _ => !setting.Default.StartsWith("--", StringComparison.Ordinal),
    };

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static WebhookConfiguration Load(string[] args, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("AZURE_TENANT_ID", "t"), .. values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))]);
        return WebhookConfiguration.Load(configuration, args);
    }
}
