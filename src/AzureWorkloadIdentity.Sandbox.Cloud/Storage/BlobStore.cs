using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Sandbox.Storage;

/// <summary>The storage accounts, containers and blobs of the sandbox's Blob Storage, in memory.</summary>
public sealed partial class BlobStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, BlobContainer>> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates an account (the stand-in for <c>az storage account create</c>); idempotent.</summary>
    public void CreateAccount(string account)
    {
        if (!IsValidAccountName(account))
        {
            throw new ArgumentException($"'{account}' is not a storage account name: use 3-24 lower-case letters and digits", nameof(account));
        }

        _accounts.TryAdd(account, new ConcurrentDictionary<string, BlobContainer>(StringComparer.Ordinal));
        _keys.TryAdd(account, SharedKeySignature.NewKey());
    }

    /// <summary>The account's key (as <c>az storage account keys list</c> shows it), or null for an unknown account.</summary>
    public string? AccountKey(string account) => _keys.TryGetValue(account, out var key) ? key : null;

    public (BlobContainer? Container, StorageError? Error) CreateContainer(string account, string container, PublicAccess access)
    {
        if (!_accounts.TryGetValue(account, out var containers))
        {
            return (null, StorageError.AccountNotFound(account));
        }

        var now = time.GetUtcNow();
        var created = new BlobContainer(container, access, NewETag(now), now);
        return containers.TryAdd(container, created) ? (created, null) : (null, StorageError.ContainerAlreadyExists());
    }

    public StorageError? DeleteContainer(string account, string container) =>
        !_accounts.TryGetValue(account, out var containers) ? StorageError.AccountNotFound(account)
        : containers.TryRemove(container, out _) ? null
        : StorageError.ContainerNotFound();

    public (StoredBlob? Blob, StorageError? Error) Upload(string account, string container, string blob, byte[] content, string contentType, bool overwrite)
    {
        var (found, error) = FindContainer(account, container);
        if (found is null)
        {
            return (null, error);
        }

        var now = time.GetUtcNow();
        var stored = new StoredBlob(content, contentType, NewETag(now), now);
        if (overwrite)
        {
            found.Blobs[blob] = stored;
            return (stored, null);
        }

        return found.Blobs.TryAdd(blob, stored) ? (stored, null) : (null, StorageError.BlobAlreadyExists());
    }

    public ((BlobContainer? Container, StoredBlob? Blob) Found, StorageError? Error) Find(string account, string container, string blob)
    {
        var (found, error) = FindContainer(account, container);
        if (found is null)
        {
            return ((null, null), error);
        }

        return found.Blobs.TryGetValue(blob, out var stored) ? ((found, stored), null) : ((found, null), StorageError.BlobNotFound());
    }

    public StorageError? Delete(string account, string container, string blob)
    {
        var (found, error) = FindContainer(account, container);
        return found is null ? error : found.Blobs.TryRemove(blob, out _) ? null : StorageError.BlobNotFound();
    }

    public static bool IsValidAccountName(string name) => AccountName().IsMatch(name);

    public static bool IsValidContainerName(string name) => ContainerName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    private (BlobContainer? Container, StorageError? Error) FindContainer(string account, string container) =>
        !_accounts.TryGetValue(account, out var containers) ? (null, StorageError.AccountNotFound(account))
        : containers.TryGetValue(container, out var found) ? (found, null)
        : (null, StorageError.ContainerNotFound());

    private static string NewETag(DateTimeOffset now) =>
        "\"0x" + (now.UtcTicks + Random.Shared.Next()).ToString("X", CultureInfo.InvariantCulture) + "\"";

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountName();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")]
    private static partial Regex ContainerName();
}
