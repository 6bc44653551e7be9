using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>How a controller marks what it creates as its own, and says so in the log.</summary>
internal static partial class Owners
{
    /// <summary>The owner reference of a controller-made object: <c>controller</c> and <c>blockOwnerDeletion</c> set.</summary>
    public static V1OwnerReference Controller(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    [LoggerMessage(1, LogLevel.Information, "controller: created {Kind} {Namespace}/{Name}")]
    public static partial void LogCreated(ILogger logger, string kind, string @namespace, string name);
}
