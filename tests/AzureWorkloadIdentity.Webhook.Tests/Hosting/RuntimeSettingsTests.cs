using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>
/// The runtime settings the webhook ships with (src/AzureWorkloadIdentity.Webhook/WebhookRuntime.props), read from
/// the webhook's own runtimeconfig.json beside these tests: the same items the NativeAOT compiler builds into the
/// binary. The gen0 budget cap keeps RSS after a burst of admissions within the 60 MB budget at 100,000 cached
/// accounts (docs/performance.md); without it the runtime sizes the budget from the L3 cache.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void WebhookRuntimeConfig_WorkstationBackgroundGcWithGen0BudgetOfTwoMebibytes()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "webhook.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;

        Assert.Equal(2 * 1024 * 1024, (long)properties["System.GC.Gen0MaxBudget"]!);
        Assert.False((bool)properties["System.GC.Server"]!);
        Assert.Null(properties["System.GC.Concurrent"]); // the default: background GC on
    }
}
