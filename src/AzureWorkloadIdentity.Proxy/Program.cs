using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Proxy;
using AzureWorkloadIdentity.Proxy.Configuration;

return await StartupCommand.RunAsync(ProxySettings.Table, args, () => ProxyApplication.RunAsync(args), Console.Out, Console.Error).ConfigureAwait(false);
