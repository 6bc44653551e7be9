namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>A request the API refuses; becomes a <c>Status</c> answer with <see cref="Code"/> and <see cref="Reason"/>.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
        Reason = "InternalError";
    }

    public KubernetesApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public KubernetesApiException(int code, string reason, string message, ResourceType? type = null, string? name = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Type = type;
        ObjectName = name;
    }

    public int Code { get; } = 500;

    public string Reason { get; }

    public ResourceType? Type { get; }

    public string? ObjectName { get; }

    public static KubernetesApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", type, name);

    public static KubernetesApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", type, name);

    public static KubernetesApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", type, name);

    public static KubernetesApiException Invalid(ResourceType type, string name, string detail) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {detail}", type, name);

    public static KubernetesApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubernetesApiException Gone(string message) => new(410, "Expired", message);
}
