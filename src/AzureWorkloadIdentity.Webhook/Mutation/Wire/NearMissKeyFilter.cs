using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Finds near-miss keys (rule 11) among the label and annotation keys of a pod as they are read. Every key of every
/// admitted pod passes here, so the key is only turned into a string when its prefix could be ours at all
/// (it names "workload" and "identity"): a typical pod's keys cost a byte search each, nothing allocated.
/// </summary>
internal static class NearMissKeyFilter
{
    /// <summary>The near miss for the property name under the reader, or null.</summary>
    public static NearMissKey? Check(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !MightBeOurs(reader.ValueSpan))
        {
            return null;
        }

        var key = reader.GetString()!;
        return WorkloadIdentityNearMiss.Intended(key) is { } intended ? new NearMissKey(key, intended) : null;
    }

    /// <summary>False only for keys <see cref="WorkloadIdentityNearMiss.Intended"/> certainly passes over.</summary>
    internal static bool MightBeOurs(ReadOnlySpan<byte> key)
    {
        var slash = key.IndexOf((byte)'/');
        if (slash <= 0)
        {
            return false;
        }

        var prefix = key[..slash];
        // Case-insensitive matching beyond ASCII is left to the exact check.
        return !Ascii.IsValid(prefix) || (ContainsIgnoreCase(prefix, "workload"u8) && ContainsIgnoreCase(prefix, "identity"u8));
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCaseWord)
    {
        for (var i = 0; i + lowerCaseWord.Length <= text.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(text.Slice(i, lowerCaseWord.Length), lowerCaseWord))
            {
                return true;
            }
        }

        return false;
    }
}
