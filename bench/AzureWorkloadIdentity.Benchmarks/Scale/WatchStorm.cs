using System.Diagnostics;
using System.Globalization;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Scale;

/// <summary>
/// <c>updates</c> changes to existing service accounts, paced evenly over <c>seconds</c>: each rewrites one
/// annotation that no webhook reads, so every watcher gets a MODIFIED event per update (as a controller relabelling
/// accounts, or a GitOps sync, would cause).
/// </summary>
internal static class WatchStorm
{
    public static async Task<TimeSpan> RunAsync(ObjectStore store, int created, int namespaces, int updates, double seconds)
    {
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < updates; k++)
        {
            var due = TimeSpan.FromSeconds(seconds * k / updates);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var j = k % created;
            var ns = ScaleAccounts.Namespace(j % namespaces);
            var account = store.Get(ResourceCatalog.ServiceAccounts, ns, ScaleAccounts.Name(j)).ToJsonObject();
            account["metadata"]!["annotations"]!["bench/storm"] = k.ToString(CultureInfo.InvariantCulture);
            account["metadata"]!.AsObject().Remove("resourceVersion");
            store.Update(ResourceCatalog.ServiceAccounts, ns, ScaleAccounts.Name(j), account);
        }

        return clock.Elapsed;
    }
}
