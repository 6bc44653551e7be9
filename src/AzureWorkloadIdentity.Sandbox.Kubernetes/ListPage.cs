using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// List paging as kube-apiserver offers it: <c>limit</c> caps a page, and a page that stops early carries
/// <c>metadata.continue</c>, an opaque token the client sends back as <c>continue</c> for the rest. Every page of one
/// list reports the first page's <c>resourceVersion</c> (so a client watches from there, as after one whole list).
/// Unlike the real server, later pages show the objects as they are now rather than a snapshot of the first
/// page's version; the order is by namespace and name in both.
/// </summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue)
{
    /// <summary>Cuts one page from the sorted, current <paramref name="items"/>.</summary>
    public static ListPage Of(IReadOnlyList<StoredObject> items, long currentVersion, string? limit, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var version = currentVersion;
        var start = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var (listVersion, after) = Decode(continueToken);
            version = listVersion;
            start = FirstAfter(items, after);
        }

        var remaining = items.Count - start;
        if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0 || remaining <= size)
        {
            return new ListPage([.. items.Skip(start)], version, null);
        }

        List<StoredObject> page = [.. items.Skip(start).Take(size)];
        return new ListPage(page, version, Encode(version, page[^1].Name));
    }

    /// <summary>The index of the first item named after <paramref name="after"/> (binary search: items are sorted).</summary>
    private static int FirstAfter(IReadOnlyList<StoredObject> items, ObjectName after)
    {
        int low = 0, high = items.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (items[middle].Name.CompareTo(after) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static string Encode(long version, ObjectName after) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Join('\n', version.ToString(CultureInfo.InvariantCulture), after.Namespace, after.Name)));

    private static (long Version, ObjectName After) Decode(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return (version, new ObjectName(parts[1], parts[2]));
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw KubernetesApiException.BadRequest("continue key is not valid: send back the metadata.continue of the previous page unchanged");
    }
}
