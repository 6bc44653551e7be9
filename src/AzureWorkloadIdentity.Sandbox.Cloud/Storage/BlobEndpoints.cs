using System.Globalization;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>
/// The Blob Storage REST subset the issuer kit needs, path-style as on an IP address (<c>/{account}/{container}/{blob}</c>,
/// how the SDK addresses an emulator): create a container with public access, upload a block blob in one request,
/// read it (anonymously when the container is public), delete it. Writes need an Entra ID token for Storage or the
/// account key (Shared Key).
/// </summary>
public static class BlobEndpoints
{
    /// <summary>The audiences a Storage data-plane token carries.</summary>
    public static readonly IReadOnlyCollection<string> Audiences = ["https://storage.azure.com", "https://storage.azure.com/"];

    public static IEndpointRouteBuilder MapBlobStorage(this IEndpointRouteBuilder endpoints, BlobStore store, IAccessTokenValidator tokens)
    {
        endpoints.MapPut("/{account}/{container}", (HttpRequest request, string account, string container) =>
            Authorize(request, tokens, store, account) ?? CreateContainer(store, request, account, container));
        endpoints.MapDelete("/{account}/{container}", (HttpRequest request, string account, string container) =>
            Authorize(request, tokens, store, account) ?? DeleteContainer(store, request, account, container));
        endpoints.MapPut("/{account}/{container}/{**blob}", async (HttpRequest request, string account, string container, string blob) =>
            Authorize(request, tokens, store, account) ?? await UploadAsync(store, request, account, container, blob));
        endpoints.MapMethods("/{account}/{container}/{**blob}", ["GET", "HEAD"], (HttpRequest request, string account, string container, string blob) =>
            Read(store, tokens, request, account, container, blob));
        endpoints.MapDelete("/{account}/{container}/{**blob}", (HttpRequest request, string account, string container, string blob) =>
            Authorize(request, tokens, store, account) ?? Delete(store, account, container, blob));
        return endpoints;
    }

    public static IResult CreateContainer(BlobStore store, HttpRequest request, string account, string container)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query["restype"] != "container")
        {
            return StorageError.Unsupported("this operation on a container (expected restype=container)");
        }

        if (!BlobStore.IsValidContainerName(container))
        {
            return StorageError.InvalidName("container name");
        }

        var access = request.Headers["x-ms-blob-public-access"].ToString() switch
        {
            "container" => PublicAccess.Container,
            "blob" => PublicAccess.Blob,
            _ => PublicAccess.None,
        };
        var (created, error) = store.CreateContainer(account, container, access);
        return (IResult?)error ?? new Written(201, created!.ETag, created.Created);
    }

    private static IResult DeleteContainer(BlobStore store, HttpRequest request, string account, string container) =>
        request.Query["restype"] != "container"
            ? StorageError.Unsupported("this operation on a container (expected restype=container)")
            : store.DeleteContainer(account, container) ?? Results.StatusCode(202);

    public static async Task<IResult> UploadAsync(BlobStore store, HttpRequest request, string account, string container, string blob)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers["x-ms-blob-type"] != "BlockBlob" || request.Query.ContainsKey("comp"))
        {
            return StorageError.Unsupported($"x-ms-blob-type '{request.Headers["x-ms-blob-type"]}' or comp='{request.Query["comp"]}'");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        var contentType = request.Headers["x-ms-blob-content-type"].ToString() is { Length: > 0 } type ? type : "application/octet-stream";
        var overwrite = request.Headers.IfNoneMatch.ToString() != "*";
        var (stored, error) = store.Upload(account, container, blob, body.ToArray(), contentType, overwrite);
        return (IResult?)error ?? new Written(201, stored!.ETag, stored.LastModified);
    }

    public static IResult Read(BlobStore store, IAccessTokenValidator tokens, HttpRequest request, string account, string container, string blob)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var (found, error) = store.Find(account, container, blob);
        if (found.Container is { Access: PublicAccess.None } && Authorize(request, tokens, store, account) is not null)
        {
            return StorageError.ResourceNotFound();
        }

        return (IResult?)error ?? new BlobContent(found.Blob!, HttpMethods.IsHead(request.Method));
    }

    private static IResult Delete(BlobStore store, string account, string container, string blob) =>
        store.Delete(account, container, blob) ?? Results.StatusCode(202);

    /// <summary>
    /// Null when the request carries a valid Entra ID token for Storage or a valid Shared Key signature of the
    /// account; otherwise the refusal.
    /// </summary>
    private static StorageError? Authorize(HttpRequest request, IAccessTokenValidator tokens, BlobStore store, string account)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return StorageError.Unauthenticated("no Authorization header; sign in (az login, or a TokenCredential for https://storage.azure.com/.default) or use the account key");
        }

        if (header.StartsWith(SharedKeySignature.Scheme, StringComparison.Ordinal))
        {
            return store.AccountKey(account) is not { } key ? StorageError.AccountNotFound(account)
                : SharedKeySignature.Verify(request, account, Convert.FromBase64String(key)) is { } problem ? StorageError.AuthenticationFailed(problem)
                : null;
        }

        var validation = tokens.Validate(header, Audiences);
        return validation.IsValid ? null : StorageError.InvalidAuthentication(validation.Error ?? "the token was refused");
    }

    private static string Http(DateTimeOffset time) => time.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The answer to a write: the new ETag and Last-Modified, as the SDK reads them.</summary>
    private sealed class Written(int status, string eTag, DateTimeOffset lastModified) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.ETag = eTag;
            httpContext.Response.Headers.LastModified = Http(lastModified);
            httpContext.Response.Headers["x-ms-request-server-encrypted"] = "true";
            return Task.CompletedTask;
        }
    }

    /// <summary>A blob's bytes with the headers the SDK's download expects.</summary>
    private sealed class BlobContent(StoredBlob blob, bool headOnly) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = 200;
            response.ContentType = blob.ContentType;
            response.ContentLength = blob.Content.Length;
            response.Headers.ETag = blob.ETag;
            response.Headers.LastModified = Http(blob.LastModified);
            response.Headers["x-ms-blob-type"] = "BlockBlob";
            response.Headers["x-ms-creation-time"] = Http(blob.LastModified);
            response.Headers.AcceptRanges = "bytes";
            if (!headOnly)
            {
                await response.Body.WriteAsync(blob.Content, httpContext.RequestAborted);
            }
        }
    }
}
