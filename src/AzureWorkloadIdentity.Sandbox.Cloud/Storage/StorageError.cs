using System.Security;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>Blob Storage's error answer: the code in <c>x-ms-error-code</c> (which the SDK reads) and an XML body.</summary>
public sealed class StorageError(int status, string code, string message) : IResult
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static StorageError ContainerNotFound() => new(404, "ContainerNotFound", "The specified container does not exist.");

    public static StorageError ContainerAlreadyExists() => new(409, "ContainerAlreadyExists", "The specified container already exists.");

    public static StorageError BlobNotFound() => new(404, "BlobNotFound", "The specified blob does not exist.");

    /// <summary>What an anonymous reader of a private container gets: Azure does not reveal that the blob exists.</summary>
    public static StorageError ResourceNotFound() => new(404, "ResourceNotFound", "The specified resource does not exist.");

    public static StorageError BlobAlreadyExists() => new(409, "BlobAlreadyExists", "The specified blob already exists.");

    public static StorageError AccountNotFound(string account) => new(404, "AccountNotFound", $"The storage account {account} does not exist; create it first.");

    public static StorageError Unauthenticated(string reason) => new(401, "NoAuthenticationInformation", $"Server failed to authenticate the request: {reason}");

    /// <summary>A token that is there but refused (expired, another audience, not signed by the sandbox).</summary>
    public static StorageError InvalidAuthentication(string reason) => new(401, "InvalidAuthenticationInfo", $"Server failed to authenticate the request: {reason}");

    /// <summary>A Shared Key signature that does not verify: Storage answers 403, not 401.</summary>
    public static StorageError AuthenticationFailed(string reason) => new(403, "AuthenticationFailed", $"Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature: {reason}");

    public static StorageError Unsupported(string what) => new(400, "UnsupportedHeader", $"The sandbox's blob storage does not support {what}; upload block blobs in one request.");

    public static StorageError InvalidName(string what) => new(400, "InvalidResourceName", $"The specified {what} is not valid.");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = Status;
        httpContext.Response.Headers["x-ms-error-code"] = Code;
        httpContext.Response.ContentType = "application/xml";
        await httpContext.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{Code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>");
    }
}
