using System.Diagnostics;
using System.Globalization;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Scale;

/// <summary>
/// <c>serve-scale &lt;kubeconfig&gt; &lt;accounts&gt; &lt;namespaces&gt; &lt;identity-percent&gt;</c>: the sandbox
/// Kubernetes API filled by <see cref="ScaleAccounts"/>, with webhook call timings on. Writes the kubeconfig once
/// filled, then answers one command per stdin line (bench/load/webhook-scale.sh drives it), each answer one line:
/// <c>list</c> (time the paged list alone, pages of 500), <c>counters</c> (service-account requests served),
/// <c>storm &lt;updates&gt; &lt;seconds&gt;</c>, <c>register &lt;port&gt; &lt;ca-file&gt;</c>,
/// <c>direct &lt;pods&gt; &lt;clients&gt;</c>, <c>deployment &lt;pods&gt;</c>. Ends when stdin closes.
/// </summary>
public static class ScaleServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kubeconfig = args[0];
        var accounts = int.Parse(args[1], CultureInfo.InvariantCulture);
        var namespaces = Math.Max(1, int.Parse(args[2], CultureInfo.InvariantCulture));
        var share = int.Parse(args[3], CultureInfo.InvariantCulture);
        var timings = new WebhookCallTimings();
        var options = new KubernetesApiServerOptions();
        options.Admission.Add(new MutatingWebhookAdmission { Timings = timings });
        await using var server = await KubernetesApiServer.StartAsync(options);
        var fill = Stopwatch.StartNew();
        var (created, enabled) = ScaleAccounts.Fill(server.Store, accounts, namespaces, share);
        var total = server.Store.List(ResourceCatalog.ServiceAccounts, null).Items.Count;
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sandbox Kubernetes API at {server.BaseUri}: {total} service accounts in {namespaces} namespaces ({enabled} identity-enabled), filled in {fill.Elapsed.TotalSeconds:F1} s"));
        await File.WriteAllTextAsync(kubeconfig + ".tmp", server.KubeconfigYaml());
        File.Move(kubeconfig + ".tmp", kubeconfig, overwrite: true);

        var burst = new PodBurst(server, timings);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var answer = words.FirstOrDefault() switch
            {
                "list" => await ListAsync(server),
                "counters" => Counters(server.Requests),
                "storm" => await StormAsync(server, created, namespaces, int.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture)),
                "register" => Register(burst, int.Parse(words[1], CultureInfo.InvariantCulture), words[2]),
                "direct-pod" => burst.DirectPod(int.Parse(words[1], CultureInfo.InvariantCulture)),
                "direct-report" => burst.DirectReport(
                    int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(double.Parse(words[4], CultureInfo.InvariantCulture)), int.Parse(words[5], CultureInfo.InvariantCulture)),
                "deployment" => await burst.DeploymentAsync(int.Parse(words[1], CultureInfo.InvariantCulture), TimeSpan.FromMinutes(10)),
                _ => $"unknown command '{line}': list, counters, storm N S, register PORT CA, direct-pod ROUND, direct-report ROUND N C SECONDS REFUSED, deployment N",
            };
            await Console.Out.WriteLineAsync(answer);
        }

        return 0;
    }

    private static async Task<string> ListAsync(KubernetesApiServer server)
    {
        // The first list also pays for the connection and the server's first requests (JIT); the second is the
        // steady cost a webhook's relist or a second replica's start sees.
        var (first, _, _, _) = await PagedList.RunAsync(server, 500);
        var (elapsed, pages, items, bytes) = await PagedList.RunAsync(server, 500);
        return string.Create(CultureInfo.InvariantCulture,
            $"paged list: {items} service accounts in {pages} pages of 500 ({bytes / 1048576.0:F1} MiB): first {first.TotalMilliseconds:F0} ms, then {elapsed.TotalMilliseconds:F0} ms");
    }

    private static string Counters(ApiRequestCounters requests) => string.Create(CultureInfo.InvariantCulture,
        $"serviceaccounts requests: get {requests.Count("get", "serviceaccounts")} list {requests.Count("list", "serviceaccounts")} watch {requests.Count("watch", "serviceaccounts")}");

    private static async Task<string> StormAsync(KubernetesApiServer server, int created, int namespaces, int updates, double seconds)
    {
        var elapsed = await WatchStorm.RunAsync(server.Store, created, namespaces, updates, seconds);
        return string.Create(CultureInfo.InvariantCulture, $"storm: {updates} account updates in {elapsed.TotalSeconds:F1} s");
    }

    private static string Register(PodBurst burst, int port, string caFile)
    {
        burst.Register(port, caFile);
        return "registered";
    }
}
