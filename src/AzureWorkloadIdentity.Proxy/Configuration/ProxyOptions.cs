using AzureWorkloadIdentity.Core;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Proxy.Configuration;

/// <summary>Settings of the IMDS proxy, read once at start-up from flags and the environment the webhook injects.</summary>
public sealed record ProxyOptions
{
    public const string PortFlag = "--proxy-port";
    public const string ProbeFlag = "--probe";
    public const string LogLevelFlag = "--log-level";

    public int Port { get; init; } = WorkloadIdentityDefaults.ProxyPort;
    public required string TenantId { get; init; }
    public required Uri AuthorityHost { get; init; }
    public required string TokenFile { get; init; }
    public string? DefaultClientId { get; init; }
    public Uri ImdsEndpoint { get; init; } = new("http://169.254.169.254/");
    public TimeSpan ExchangeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The proxy's own categories log from this level; framework categories from Warning unless it is Trace.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Instance discovery only works against the public cloud's authority; sovereign and sandbox hosts need it off.</summary>
    public bool DisableInstanceDiscovery =>
        !string.Equals(AuthorityHost.Host, "login.microsoftonline.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads --proxy-port (space or = form); other flags are read by their own parsers.</summary>
    public static int ParsePort(IReadOnlyList<string> args, out string? error)
    {
        var value = FlagValue(args, PortFlag, out error);
        if (error is not null || value is null)
        {
            return WorkloadIdentityDefaults.ProxyPort;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        error = $"{PortFlag} '{value}' is not a TCP port (0-65535).";
        return WorkloadIdentityDefaults.ProxyPort;
    }

    /// <summary>Reads --log-level (the webhook's values, <see cref="LogLevelNames"/>); Information when absent.</summary>
    public static LogLevel ParseLogLevel(IReadOnlyList<string> args, out string? error)
    {
        var value = FlagValue(args, LogLevelFlag, out error);
        if (error is not null || value is null)
        {
            return LogLevel.Information;
        }

        var level = LogLevelNames.Parse(value);
        error = level is null ? $"{LogLevelFlag} '{value}' is not supported; use {LogLevelNames.Supported}." : null;
        return level ?? LogLevel.Information;
    }

    // The last occurrence wins, in the space or = form, as Go's flag package does.
    private static string? FlagValue(IReadOnlyList<string> args, string flag, out string? error)
    {
        error = null;
        string? value = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == flag && i + 1 < args.Count) value = args[++i];
            else if (arg.StartsWith(flag + "=", StringComparison.Ordinal)) value = arg[(flag.Length + 1)..];
            else if (arg == flag) error = $"{flag} needs a value, e.g. {flag} {(flag == PortFlag ? "8000" : "info")}.";
        }
        return value;
    }

    /// <summary>The port for --probe, which must work without the token settings.</summary>
    public static int ReadPort(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        try { return Load(args, environment).Port; }
        catch (ProxyOptionsException) { return ParsePort(args, out _); }
    }

    /// <summary>Builds options; every problem is reported at once so one restart fixes them all.</summary>
    public static ProxyOptions Load(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var port = ParsePort(args, out var portError);
        if (portError is not null) errors.Add(portError);
        var logLevel = ParseLogLevel(args, out var logLevelError);
        if (logLevelError is not null) errors.Add(logLevelError);

        string Required(string name)
        {
            var v = environment(name);
            if (string.IsNullOrWhiteSpace(v))
            {
                errors.Add($"{name} is not set; the workload identity webhook injects it into pods labelled azure.workload.identity/use=true.");
                return "";
            }
            return v.Trim();
        }

        var tenant = Required(WorkloadIdentityEnvironment.TenantId);
        var authority = Required(WorkloadIdentityEnvironment.AuthorityHost);
        var tokenFile = Required(WorkloadIdentityEnvironment.FederatedTokenFile);
        Uri? authorityUri = null;
        if (authority.Length > 0 && (!Uri.TryCreate(authority.EndsWith('/') ? authority : authority + "/", UriKind.Absolute, out authorityUri)
            || authorityUri.Scheme is not ("https" or "http")))
            errors.Add($"{WorkloadIdentityEnvironment.AuthorityHost} '{authority}' is not an absolute https URL such as https://login.microsoftonline.com/.");

        if (errors.Count > 0) throw new ProxyOptionsException(errors);
        var clientId = environment(WorkloadIdentityEnvironment.ClientId);
        return new ProxyOptions
        {
            Port = port,
            LogLevel = logLevel,
            TenantId = tenant,
            AuthorityHost = authorityUri!,
            TokenFile = tokenFile,
            DefaultClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId.Trim(),
        };
    }
}
