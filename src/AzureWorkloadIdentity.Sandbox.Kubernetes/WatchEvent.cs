namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>A change, as recorded in the store's history; <see cref="Previous"/> lets a filtered watch see an object enter or leave its selection.</summary>
public sealed record WatchEvent(string Type, StoredObject Object, StoredObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
