namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>
/// Reads the original's flags (<c>--name value</c>, <c>--name=value</c>, one or two dashes, bare boolean flags)
/// into configuration keys, collecting unknown flags and missing values as errors.
/// </summary>
public static class WebhookCommandLine
{
    private const string Section = WebhookOptions.SectionName + ":";

    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["port"] = Section + nameof(WebhookOptions.Port),
        ["webhook-cert-dir"] = Section + nameof(WebhookOptions.WebhookCertDir),
        ["tls-min-version"] = Section + nameof(WebhookOptions.TlsMinVersion),
        ["health-addr"] = Section + nameof(WebhookOptions.HealthAddr),
        ["metrics-addr"] = Section + nameof(WebhookOptions.MetricsAddr),
        ["audience"] = Section + nameof(WebhookOptions.Audience),
        ["proxy-image-registry"] = Section + nameof(WebhookOptions.ProxyImageRegistry),
        ["proxy-image-version"] = Section + nameof(WebhookOptions.ProxyImageVersion),
        ["proxy-sidecar-mode"] = Section + nameof(WebhookOptions.ProxySidecarMode),
        ["log-level"] = Section + nameof(WebhookOptions.LogLevel),
        ["log-format"] = Section + nameof(WebhookOptions.LogFormat),
        ["disable-cert-rotation"] = Section + nameof(WebhookOptions.DisableCertRotation),
        ["kubeconfig"] = "ServiceAccountCache:Kubeconfig",
    };

    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal) { "disable-cert-rotation" };

    /// <summary>The flag names accepted, for help and error text.</summary>
    public static IEnumerable<string> Names => Flags.Keys.Select(name => "--" + name);

    public static (Dictionary<string, string?> Values, List<string> Errors) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (!argument.StartsWith('-'))
            {
                errors.Add($"unexpected argument \"{argument}\"; flags look like --port=9443");
                continue;
            }

            var body = argument.TrimStart('-');
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            if (!Flags.TryGetValue(name, out var key))
            {
                errors.Add($"unknown flag \"{argument}\"; known flags: {string.Join(", ", Names)}");
                continue;
            }

            string? value;
            if (equals >= 0)
            {
                value = body[(equals + 1)..];
            }
            else if (BooleanFlags.Contains(name))
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                errors.Add($"flag --{name} needs a value");
                continue;
            }

            values[key] = value;
        }

        return (values, errors);
    }
}
