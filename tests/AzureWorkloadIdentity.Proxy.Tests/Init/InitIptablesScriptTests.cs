using System.Diagnostics;

namespace AzureWorkloadIdentity.Proxy.Tests.Init;

/// <summary>
/// Runs init/init-iptables.sh for real inside a network namespace the test creates, then sends TCP to
/// 169.254.169.254:80 from an ordinary UID (must reach the listener on the proxy port) and from UID 1501
/// (must not be redirected). Needs root and iptables; without root the namespace cannot be created.
/// </summary>
public sealed class InitIptablesScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [NetworkNamespaceFact]
    public async Task InitIptables_DefaultEnvironment_RedirectsOrdinaryUidAndExemptsProxyUid()
    {
        RequireIptables();
        var result = await RunScenarioAsync(proxyPort: 8000, extraEnv: "");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("ORDINARY=reached-proxy", result.Output);
        Assert.Contains("PROXY_UID=not-redirected", result.Output);
    }

    [NetworkNamespaceFact]
    public async Task InitIptables_CustomPortAndRunTwice_OneRuleSetToCustomPort()
    {
        RequireIptables();
        var result = await RunScenarioAsync(proxyPort: 15123, extraEnv: "PROXY_PORT=15123", runTwice: true);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("ORDINARY=reached-proxy", result.Output);
        Assert.Contains("OUTPUT_JUMPS=1", result.Output);
        Assert.Contains("REDIRECT_RULES=1", result.Output);
        Assert.Contains("--to-ports 15123", result.Output);
    }

    [Fact]
    public async Task InitIptables_InvalidPort_FailsLoudlyNamingTheVariable()
    {
        var script = ScriptPath();
        var (exitCode, output) = await RunAsync("/bin/sh", [script], ("PROXY_PORT", "eighty"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("PROXY_PORT 'eighty' is not a TCP port", output);
    }

    // As root the test must run: a missing iptables is a broken CI image, not a reason to skip.
    private static void RequireIptables()
    {
        if (!File.Exists("/usr/sbin/iptables") && !File.Exists("/sbin/iptables"))
        {
            Assert.Fail("iptables is not installed; install it with `apt-get install -y iptables` (scripts/install-prereqs.sh).");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunScenarioAsync(int proxyPort, string extraEnv, bool runTwice = false)
    {
        var ns = "azwi-proxy-" + Guid.NewGuid().ToString("N")[..10];
        var script = ScriptPath();
        var twice = runTwice ? $"env {extraEnv} /bin/sh {script} >/dev/null || exit 20" : "";
        var scenario = $$"""
            set -u
            ip link set lo up || exit 10
            ip addr add 169.254.169.254/32 dev lo || exit 11
            env {{extraEnv}} /bin/sh {{script}} >/dev/null || exit 12
            {{twice}}
            /usr/bin/python3 -m http.server {{proxyPort}} --bind 127.0.0.1 >/dev/null 2>&1 &
            server=$!
            for i in $(seq 1 50); do curl -s -o /dev/null http://127.0.0.1:{{proxyPort}}/ && break; sleep 0.1; done
            if setpriv --reuid=1000 --regid=1000 --clear-groups curl -s -o /dev/null --max-time 5 -w '%{http_code}' http://169.254.169.254/ | grep -q 200; then
              echo ORDINARY=reached-proxy; else echo ORDINARY=not-redirected; fi
            if setpriv --reuid=1501 --regid=1501 --clear-groups curl -s -o /dev/null --max-time 5 http://169.254.169.254/; then
              echo PROXY_UID=reached-proxy; else echo PROXY_UID=not-redirected; fi
            echo OUTPUT_JUMPS=$(iptables -w -t nat -S OUTPUT | grep -c AZWI_PROXY_OUTPUT)
            echo REDIRECT_RULES=$(iptables -w -t nat -S AZWI_PROXY_REDIRECT | grep -c -- '-j REDIRECT')
            iptables -w -t nat -S AZWI_PROXY_REDIRECT
            kill $server
            """;
        var (created, createOutput) = await RunAsync("ip", ["netns", "add", ns]);
        Assert.True(created == 0, $"ip netns add failed: {createOutput}");
        try
        {
            return await RunAsync("ip", ["netns", "exec", ns, "/bin/sh", "-c", scenario]);
        }
        finally
        {
            await RunAsync("ip", ["netns", "del", ns]);
        }
    }

    private static string ScriptPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "init", "init-iptables.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("init/init-iptables.sh not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, params (string Name, string Value)[] env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>A fact that is skipped, with the reason, where a network namespace cannot be created (not Linux, not root).</summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (AzureWorkloadIdentity.Sandbox.Kubelet.PodNetwork.UnsupportedReason is { } reason)
        {
            Skip = reason + " to exercise init-iptables.sh";
        }
    }
}
