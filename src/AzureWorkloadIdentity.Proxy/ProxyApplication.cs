using System.Net;
using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;

namespace AzureWorkloadIdentity.Proxy;

/// <summary>The proxy process: reads and validates its settings, then serves (or, with <c>--probe</c>, checks the running proxy).</summary>
internal static class ProxyApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        var options = Load(builder.Configuration, args);
        if (options.Probe)
        {
            return await ProxyProbe.RunAsync(options.Port, Console.Error).ConfigureAwait(false);
        }

        builder.Logging.AddProxyLogging(options.MinimumLevel, options.LogFormat);

        // Loopback only: the iptables redirect delivers pod traffic to 127.0.0.1; nothing else may reach the token endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddImdsProxy(options);
        await using var app = builder.Build();
        app.MapImdsProxy();
        ProxyLog.Started(app.Logger, options.Port, options.TenantId, options.AuthorityHost);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Reads the settings: <paramref name="configuration"/> holds the environment; the aliases of
    /// <see cref="ProxySettings"/> and the flags in <paramref name="args"/> are added, the values checked, bound and
    /// validated. Throws <see cref="StartupException"/> naming every problem.
    /// </summary>
    public static ProxyOptions Load(ConfigurationManager configuration, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = ProxySettings.Table.Apply(configuration, args);
        var options = new ProxyOptions();
        if (problems.Bind(() => configuration.GetSection(ProxyOptions.SectionName).Bind(options)))
        {
            options.TenantId = options.TenantId.Trim();
            options.TokenFile = options.TokenFile.Trim();
            options.DefaultClientId = string.IsNullOrWhiteSpace(options.DefaultClientId) ? null : options.DefaultClientId.Trim();
            problems.Validate(new ProxyOptionsValidator(), options);
        }

        return problems.Count > 0 ? throw new StartupException(ProxySettings.Table.Program, problems) : options;
    }
}
