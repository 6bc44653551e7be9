namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>A served resource: group/version, plural name, kind and scope.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary><c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string ListKind => Kind + "List";

    public string SingularName => Kind.ToLowerInvariant();

    /// <summary>The resource name used in messages and counters (<c>deployments.apps</c>, or just <c>pods</c>).</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : Plural + "." + Group;
}
