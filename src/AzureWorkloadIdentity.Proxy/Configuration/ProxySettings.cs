using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Configuration;
using static AzureWorkloadIdentity.Core.Configuration.Setting;

namespace AzureWorkloadIdentity.Proxy.Configuration;

/// <summary>
/// Every flag and environment variable of the proxy, in the order <c>--help</c> prints them. To add a setting: add
/// its line here, a property of that name to <see cref="ProxyOptions"/>, a check to <see cref="ProxyOptionsValidator"/>,
/// and a row to docs/proxy.md — a test compares the three.
/// </summary>
internal static class ProxySettings
{
    private const string Proxy = ProxyOptions.SectionName + ":";

    public static SettingTable Table { get; } = new("proxy", "The Azure AD Workload Identity IMDS proxy sidecar.",
    [
        Flag("proxy-port", Proxy + nameof(ProxyOptions.Port), "8000", "listen port on 127.0.0.1", SettingType.Integer),
        Flag("log-level", Proxy + nameof(ProxyOptions.LogLevel), "info", "error, warning, info, debug or trace (all)"),
        Flag("log-format", Proxy + nameof(ProxyOptions.LogFormat), ConsoleLogging.Text, "text (one line per event, UTC) or json"),
        Switch("probe", Proxy + nameof(ProxyOptions.Probe), "check the running proxy's /readyz and exit 0 when ready, 1 when not"),

        Variable(WorkloadIdentityEnvironment.TenantId, "", "required: tenant of the token exchange", key: Proxy + nameof(ProxyOptions.TenantId)),
        Variable(WorkloadIdentityEnvironment.AuthorityHost, "", "required: Entra ID authority host, e.g. https://login.microsoftonline.com/", key: Proxy + nameof(ProxyOptions.AuthorityHostUrl)),
        Variable(WorkloadIdentityEnvironment.FederatedTokenFile, "", "required: the projected service-account token", key: Proxy + nameof(ProxyOptions.TokenFile)),
        Variable(WorkloadIdentityEnvironment.ClientId, "", "client id used when a request has no client_id", key: Proxy + nameof(ProxyOptions.DefaultClientId)),
    ]);
}
