namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Events;

/// <summary>
/// What makes two Events the same one happening again, as client-go's correlator keys them: the source, the
/// involved object (with its field path), the type, the reason and the message.
/// </summary>
internal readonly record struct EventKey(
    string Component, string? Host, string Kind, string? Namespace, string Name, string? Uid, string ApiVersion, string? FieldPath,
    string Type, string Reason, string Message)
{
    public static EventKey Of(EventRecorder source, EventTarget target, string type, string reason, string message) =>
        new(source.Component, source.Host, target.Kind, target.Namespace, target.Name, target.Uid, target.ApiVersion, target.FieldPath, type, reason, message);
}
