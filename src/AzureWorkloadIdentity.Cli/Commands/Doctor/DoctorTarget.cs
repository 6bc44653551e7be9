using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// What is diagnosed: a pod of the cluster, a workload from a file, or a service account alone. The pod template is
/// the pod itself for a pod; <see cref="Workload"/> is the object whose own metadata may wrongly carry the opt-in label.
/// </summary>
internal sealed record DoctorTarget(
    string Namespace,
    string ServiceAccountName,
    string Description,
    V1Pod? Pod,
    IKubernetesObject<V1ObjectMeta>? Workload,
    V1ObjectMeta? TemplateMetadata,
    V1PodSpec? TemplateSpec)
{
    /// <summary>True when there is a pod or a pod template to check (not only a service account).</summary>
    public bool HasPodTemplate => TemplateSpec is not null;

    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccountName}";
}
