using System.Net;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Proxy;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;

if (args.Contains(ProxyOptions.ProbeFlag))
    return await ProxyProbe.RunAsync(ProxyOptions.ReadPort(args, Environment.GetEnvironmentVariable), Console.Error);

ProxyOptions options;
try
{
    options = ProxyOptions.Load(args, Environment.GetEnvironmentVariable);
}
catch (ProxyOptionsException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.AddProxyLogging(options.LogLevel);
// Loopback only: the iptables redirect delivers pod traffic to 127.0.0.1; nothing else may reach the token endpoint.
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
builder.Services.AddImdsProxy(options);
var app = builder.Build();
app.MapImdsProxy();
ProxyLog.Started(app.Logger, options.Port, options.TenantId, options.AuthorityHost);
await app.RunAsync();
return 0;
