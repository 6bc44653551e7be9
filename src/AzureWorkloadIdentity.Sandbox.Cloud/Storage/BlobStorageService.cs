using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>
/// Blob Storage on one loopback origin, path-style: an account's endpoint is <c>https://127.0.0.1:PORT/{account}</c>
/// and a blob's URL <c>https://127.0.0.1:PORT/{account}/{container}/{blob}</c> — what a self-managed cluster's issuer
/// looks like when hosted as the documentation shows (<c>https://{account}.blob.core.windows.net/{container}/</c>).
/// </summary>
public sealed class BlobStorageService : IAsyncDisposable
{
    private readonly LoopbackHttpsServer _server;

    private BlobStorageService(LoopbackHttpsServer server, BlobStore store)
    {
        _server = server;
        Store = store;
    }

    public BlobStore Store { get; }

    public static async Task<BlobStorageService> StartAsync(SandboxTls tls, IAccessTokenValidator tokens, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var store = new BlobStore(time);
        var server = await LoopbackHttpsServer.StartAsync(tls, app => app.MapBlobStorage(store, tokens), cancellationToken: cancellationToken);
        return new BlobStorageService(server, store);
    }

    /// <summary>Creates the account (as <c>az storage account create</c>) and returns its blob endpoint.</summary>
    public Uri CreateAccount(string account)
    {
        Store.CreateAccount(account);
        return AccountUri(account);
    }

    /// <summary>The account's key, for Shared Key authorization (<c>az storage … --account-key</c>).</summary>
    public string AccountKey(string account) =>
        Store.AccountKey(account) ?? throw new ArgumentException($"the storage account '{account}' does not exist; create it first", nameof(account));

    /// <summary>
    /// A connection string for the account (<c>AZURE_STORAGE_CONNECTION_STRING</c>, which the Blob SDKs and
    /// <c>az storage</c> read), naming the path-style endpoint.
    /// </summary>
    public string ConnectionString(string account) =>
        $"DefaultEndpointsProtocol=https;AccountName={account};AccountKey={AccountKey(account)};BlobEndpoint={AccountUri(account)};";

    /// <summary>The account's blob endpoint, for <c>BlobServiceClient</c>.</summary>
    public Uri AccountUri(string account) => new(_server.BaseUri, account);

    /// <summary>A container's URL with a trailing slash: the issuer URL of documents uploaded to it.</summary>
    public Uri ContainerUri(string account, string container) => new(_server.BaseUri, $"{account}/{container}/");

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
