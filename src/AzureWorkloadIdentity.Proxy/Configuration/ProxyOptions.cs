using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Proxy.Configuration;

/// <summary>
/// Settings of the IMDS proxy (section <see cref="SectionName"/>): its flags and the environment the webhook injects,
/// named in <see cref="ProxySettings"/> and checked by <see cref="ProxyOptionsValidator"/>.
/// </summary>
internal sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>Listen port on 127.0.0.1 (<c>--proxy-port</c>).</summary>
    public int Port { get; set; } = WorkloadIdentityDefaults.ProxyPort;

    /// <summary>The webhook's <c>--log-level</c> values (<see cref="LogLevelNames"/>).</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary><c>text</c> (default) or <c>json</c>, as the webhook's.</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary><c>--probe</c>: check the running proxy's <c>/readyz</c> instead of serving.</summary>
    public bool Probe { get; set; }

    /// <summary><c>AZURE_TENANT_ID</c>.</summary>
    public string TenantId { get; set; } = "";

    /// <summary><c>AZURE_AUTHORITY_HOST</c> as given; <see cref="AuthorityHost"/> is the parsed URL.</summary>
    public string AuthorityHostUrl { get; set; } = "";

    /// <summary><c>AZURE_FEDERATED_TOKEN_FILE</c>.</summary>
    public string TokenFile { get; set; } = "";

    /// <summary><c>AZURE_CLIENT_ID</c>: the client id used when a request names none.</summary>
    public string? DefaultClientId { get; set; }

    public Uri ImdsEndpoint { get; set; } = new("http://169.254.169.254/");

    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The authority host with its trailing slash, so the tenant is appended to it; null when not an absolute http(s) URL.</summary>
    public Uri? AuthorityHostOrNull
    {
        get
        {
            var text = AuthorityHostUrl.Trim();
            return Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
        }
    }

    /// <summary>The authority host (valid options only).</summary>
    public Uri AuthorityHost => AuthorityHostOrNull ?? throw new InvalidOperationException($"{WorkloadIdentityEnvironment.AuthorityHost} is not a URL");

    /// <summary>The proxy's own categories log from this level; framework categories from Warning unless it is Trace.</summary>
    public LogLevel MinimumLevel => LogLevelNames.Parse(LogLevel) ?? Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Instance discovery only works against the public cloud's authority; sovereign and sandbox hosts need it off.</summary>
    public bool DisableInstanceDiscovery =>
        !string.Equals(AuthorityHost.Host, "login.microsoftonline.com", StringComparison.OrdinalIgnoreCase);
}
