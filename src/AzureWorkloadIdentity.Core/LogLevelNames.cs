using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Core;

/// <summary>
/// Values of the webhook's and the proxy's <c>--log-level</c> flag: the original's names (empty, <c>info</c>,
/// <c>debug</c>, <c>trace</c>, <c>all</c>) plus <c>warning</c> and <c>error</c>, case-insensitive.
/// </summary>
public static class LogLevelNames
{
    /// <summary>The accepted values, for error messages.</summary>
    public const string Supported = "error, warning, info, debug or trace (all)";

    /// <summary>The level for a flag value, or null when the value is not supported.</summary>
    public static LogLevel? Parse(string? level) => level?.ToLowerInvariant() switch
    {
        "" or "info" or "information" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "trace" or "all" => LogLevel.Trace,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => null,
    };
}
