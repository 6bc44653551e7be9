using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>
/// The server side of Blob Storage's Shared Key authorization (<c>Authorization: SharedKey account:signature</c>), what
/// <c>az storage … --account-key</c> and <c>StorageSharedKeyCredential</c> send: the signature is HMAC-SHA256 with the
/// account key over the documented string-to-sign (verb, the standard headers, the <c>x-ms-*</c> headers sorted,
/// <c>/account</c> + the request path, the query parameters sorted). Path-style addressing keeps the account in the
/// path, so the resource reads <c>/account/account/container/blob</c>, as the SDKs compute it for an IP endpoint.
/// </summary>
public static class SharedKeySignature
{
    public const string Scheme = "SharedKey ";

    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <summary>Null when the header names <paramref name="account"/> and its signature is the key's; otherwise why not.</summary>
    public static string? Verify(HttpRequest request, string account, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var credential = request.Headers.Authorization.ToString()[Scheme.Length..];
        var colon = credential.LastIndexOf(':');
        if (colon <= 0)
        {
            return "the SharedKey header is not 'SharedKey <account>:<signature>'";
        }

        if (!string.Equals(credential[..colon], account, StringComparison.Ordinal))
        {
            return $"the SharedKey header signs for account '{credential[..colon]}', the request is for '{account}'";
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(credential[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return "the SharedKey signature is not base64";
        }

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(request, account)));
        return CryptographicOperations.FixedTimeEquals(given, expected)
            ? null
            : "the SharedKey signature does not match the account key and the request (check the key, and the clock's x-ms-date)";
    }

    /// <summary>The string-to-sign of the Blob service for versions since 2015-02-21.</summary>
    public static string StringToSign(HttpRequest request, string account)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder(request.Method).Append('\n');
        foreach (var name in StandardHeaders)
        {
            var value = request.Headers[name].ToString();
            // An empty body's length is signed as the empty string; Date is empty when x-ms-date carries the time.
            if ((name == "Content-Length" && value == "0") || (name == "Date" && request.Headers.ContainsKey("x-ms-date")))
            {
                value = string.Empty;
            }

            text.Append(value).Append('\n');
        }

        foreach (var header in request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(',', h.Value.Select(v => v?.Trim()))))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            text.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        text.Append('/').Append(account).Append(RawPath(request));
        foreach (var parameter in request.Query.OrderBy(q => q.Key.ToLowerInvariant(), StringComparer.Ordinal))
        {
            text.Append('\n').Append(parameter.Key.ToLowerInvariant()).Append(':')
                .Append(string.Join(',', parameter.Value.Order(StringComparer.Ordinal)));
        }

        return text.ToString();
    }

    /// <summary>A new account key: 64 random bytes in base64, the shape of Azure's.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    // The path as the client sent it (escaped), which is what the client signed.
    private static string RawPath(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.ToString();
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }
}
