namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>Namespace (empty for cluster-scoped objects) and name of a stored object.</summary>
public readonly record struct ObjectName(string Namespace, string Name) : IComparable<ObjectName>
{
    public int CompareTo(ObjectName other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
