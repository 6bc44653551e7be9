using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// List paging as kube-apiserver offers it: <c>limit</c> caps a page, and a page that stops early carries
/// <c>metadata.continue</c>, an opaque token the client sends back as <c>continue</c> for the rest. Every page of one
/// list reports the first page's <c>resourceVersion</c> (so a client watches from there, as after one whole list).
/// Unlike the real server, later pages show the objects as they are now rather than a snapshot of the first
/// page's version; the order is by namespace and name in both. A page costs what it holds, not the whole list.
/// </summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue)
{
    /// <summary>
    /// Reads one page from <paramref name="store"/>: the objects after the one <paramref name="continueToken"/> names,
    /// up to <paramref name="limit"/> (all when absent or not a positive number).
    /// </summary>
    public static ListPage Read(
        ObjectStore store, ResourceType type, string? @namespace, LabelSelector? labels, FieldSelector? fields, string? limit, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        long? listVersion = null;
        ObjectName? after = null;
        if (!string.IsNullOrEmpty(continueToken))
        {
            var (version, last) = Decode(continueToken);
            (listVersion, after) = (version, last);
        }

        var size = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : int.MaxValue;
        // One more than the page: whether it exists says if there is a rest to continue with.
        var (items, current) = store.List(type, @namespace, labels, fields, after, size == int.MaxValue ? size : size + 1);
        var pageVersion = listVersion ?? current;
        if (items.Count <= size)
        {
            return new ListPage(items, pageVersion, null);
        }

        List<StoredObject> page = [.. items.Take(size)];
        return new ListPage(page, pageVersion, Encode(pageVersion, page[^1].Name));
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
