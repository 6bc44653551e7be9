using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A delete's options, from the query (<c>gracePeriodSeconds</c>, <c>propagationPolicy</c>, <c>dryRun</c>) or the JSON
/// <c>DeleteOptions</c> body kubectl sends (which also carries <c>preconditions</c>).
/// </summary>
public sealed record DeleteOptions(
    long? GracePeriodSeconds = null, string? PropagationPolicy = null, bool DryRun = false, string? PreconditionUid = null, string? PreconditionResourceVersion = null)
{
    public const string Background = "Background";
    public const string Foreground = "Foreground";
    public const string Orphan = "Orphan";

    public static DeleteOptions Default { get; } = new();

    internal static DeleteOptions From(IQueryCollection query, byte[] body)
    {
        // helm sends DeleteOptions as protobuf; only a JSON body is read (its fields are the rarely used ones).
        var json = body.Length > 0 && body[0] == (byte)'{' ? ApiResponses.ParseObject(body) : [];
        var grace = query["gracePeriodSeconds"].ToString() is { Length: > 0 } text
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw KubernetesApiException.BadRequest($"invalid gracePeriodSeconds \"{text}\": it must be a whole number of seconds")
            : json["gracePeriodSeconds"]?.GetValue<long>();
        var policy = query["propagationPolicy"].ToString() is { Length: > 0 } fromQuery ? fromQuery : json["propagationPolicy"]?.GetValue<string>();
        if (policy is null && json["orphanDependents"]?.GetValue<bool>() is { } orphan)
        {
            policy = orphan ? Orphan : Background;
        }

        if (policy is not (null or Background or Foreground or Orphan))
        {
            throw new KubernetesApiException(422, "Invalid",
                $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        return new DeleteOptions(
            grace,
            policy,
            Writes.IsDryRun(query) || (json["dryRun"] is JsonArray modes && modes.Any(m => m?.GetValue<string>() == "All")),
            json["preconditions"]?["uid"]?.GetValue<string>(),
            json["preconditions"]?["resourceVersion"]?.GetValue<string>());
    }
}
