using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// What one replica serves: the SHA-256 thumbprint of the CA its serving certificate chains to (null when it chains
/// to none the replica knows), as of <paramref name="At"/>. Each replica keeps its own record in an annotation of
/// the MutatingWebhookConfiguration, next to the caBundle it concerns (the chart already lets the webhook update
/// that object, and the record survives a deleted Secret). A previous CA leaves the caBundle only when no live
/// record needs it; a record not refreshed for <see cref="CertificateRotationOptions.ServingRecordLifetime"/>
/// belongs to a replica that is gone.
/// </summary>
internal sealed partial record ServingRecord(string? CaThumbprint, DateTimeOffset At)
{
    public const string AnnotationPrefix = "serving.azure-workload-identity.io/";

    private const string Unknown = "unknown";

    /// <summary>The annotation key of a replica: its name when that is a valid annotation name, else a hash of it.</summary>
    public static string Key(string replica)
    {
        ArgumentException.ThrowIfNullOrEmpty(replica);
        return AnnotationPrefix + (AnnotationName().IsMatch(replica)
            ? replica
            : "r-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(replica)))[..32]);
    }

    public string Format() => $"{CaThumbprint ?? Unknown},{At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}";

    /// <summary>Parses an annotation value; null when it is not a record (then it is ignored, as if absent).</summary>
    public static ServingRecord? Parse(string? value)
    {
        var parts = value?.Split(',') ?? [];
        if (parts.Length != 2
            || !DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }

        return new ServingRecord(parts[0] == Unknown ? null : parts[0], at);
    }

    /// <summary>The live records among <paramref name="annotations"/>, by annotation key.</summary>
    public static Dictionary<string, ServingRecord> Live(IDictionary<string, string>? annotations, DateTimeOffset now, TimeSpan lifetime) =>
        (annotations ?? new Dictionary<string, string>())
            .Where(pair => pair.Key.StartsWith(AnnotationPrefix, StringComparison.Ordinal))
            .Select(pair => (pair.Key, Record: Parse(pair.Value)))
            .Where(entry => entry.Record is not null && now - entry.Record.At < lifetime)
            .ToDictionary(entry => entry.Key, entry => entry.Record!, StringComparer.Ordinal);

    /// <summary>
    /// The CAs live replicas serve from, or null when that is not known (no live record, or a replica serving a
    /// certificate of a CA it does not know): then every valid previous CA stays trusted.
    /// </summary>
    public static IReadOnlySet<string>? CasInUse(IEnumerable<ServingRecord> live)
    {
        var records = live.ToList();
        return records.Count == 0 || records.Any(record => record.CaThumbprint is null)
            ? null
            : records.Select(record => record.CaThumbprint!).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex AnnotationName();
}
