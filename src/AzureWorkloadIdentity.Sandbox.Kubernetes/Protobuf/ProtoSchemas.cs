using static AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf.ProtoShape;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf;

/// <summary>
/// The protobuf messages kubectl's typed clients send as bodies (client-go has sent built-in kinds as protobuf
/// since 1.31, with no fallback to JSON): <c>kubectl create serviceaccount|namespace|secret|configmap|token</c> and
/// <c>kubectl auth can-i|whoami</c>. Field numbers are those of the published <c>generated.proto</c> files.
/// </summary>
internal static class ProtoSchemas
{
    private static readonly ProtoMessage OwnerReference = Message("OwnerReference",
        (1, new("kind", Text)), (3, new("name", Text)), (4, new("uid", Text)), (5, new("apiVersion", Text)),
        (6, new("controller", Flag)), (7, new("blockOwnerDeletion", Flag)));

    private static readonly ProtoMessage ObjectMeta = Message("ObjectMeta",
        (1, new("name", Text)), (2, new("generateName", Text)), (3, new("namespace", Text)),
        (8, new("creationTimestamp", Time)), (9, new("deletionTimestamp", Time)),
        (5, new("uid", Text)), (6, new("resourceVersion", Text)), (7, new("generation", Integer)),
        (11, new("labels", StringMap)), (12, new("annotations", StringMap)),
        (13, new("ownerReferences", ProtoShape.Message, OwnerReference, Repeated: true)),
        (14, new("finalizers", Text, Repeated: true)));

    private static readonly ProtoMessage ObjectReference = Message("ObjectReference",
        (1, new("kind", Text)), (2, new("namespace", Text)), (3, new("name", Text)), (4, new("uid", Text)),
        (5, new("apiVersion", Text)), (6, new("resourceVersion", Text)), (7, new("fieldPath", Text)));

    private static readonly ProtoMessage LocalObjectReference = Message("LocalObjectReference", (1, new("name", Text)));

    private static readonly ProtoMessage BoundObjectReference = Message("BoundObjectReference",
        (1, new("kind", Text)), (2, new("apiVersion", Text)), (3, new("name", Text)), (4, new("uid", Text)));

    private static readonly ProtoMessage ResourceAttributes = Message("ResourceAttributes",
        (1, new("namespace", Text)), (2, new("verb", Text)), (3, new("group", Text)), (4, new("version", Text)),
        (5, new("resource", Text)), (6, new("subresource", Text)), (7, new("name", Text)));

    private static readonly ProtoMessage NonResourceAttributes = Message("NonResourceAttributes",
        (1, new("path", Text)), (2, new("verb", Text)));

    private static readonly ProtoMessage AccessReviewStatus = Message("SubjectAccessReviewStatus",
        (1, new("allowed", Flag)), (2, new("reason", Text)), (3, new("evaluationError", Text)), (4, new("denied", Flag)));

    /// <summary>Top-level kinds by <c>apiVersion/kind</c>, as the envelope's TypeMeta names them.</summary>
    public static readonly IReadOnlyDictionary<string, ProtoMessage> Kinds = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal)
    {
        ["v1/ServiceAccount"] = Message("ServiceAccount",
            (1, Meta()), (2, new("secrets", ProtoShape.Message, ObjectReference, Repeated: true)),
            (3, new("imagePullSecrets", ProtoShape.Message, LocalObjectReference, Repeated: true)),
            (4, new("automountServiceAccountToken", Flag))),
        ["v1/Namespace"] = Message("Namespace",
            (1, Meta()), (2, Nested("spec", Message("NamespaceSpec", (1, new("finalizers", Text, Repeated: true))))),
            (3, Nested("status", Message("NamespaceStatus", (1, new("phase", Text)))))),
        ["v1/Secret"] = Message("Secret",
            (1, Meta()), (2, new("data", BytesMap)), (3, new("type", Text)), (4, new("stringData", StringMap)), (5, new("immutable", Flag))),
        ["v1/ConfigMap"] = Message("ConfigMap",
            (1, Meta()), (2, new("data", StringMap)), (3, new("binaryData", BytesMap)), (4, new("immutable", Flag))),
        ["authentication.k8s.io/v1/TokenRequest"] = Message("TokenRequest",
            (1, Meta()), (2, Nested("spec", Message("TokenRequestSpec",
                (1, new("audiences", Text, Repeated: true)),
                (3, Nested("boundObjectRef", BoundObjectReference)),
                (4, new("expirationSeconds", Integer))))),
            (3, Nested("status", Message("TokenRequestStatus", (1, new("token", Text)), (2, new("expirationTimestamp", Time)))))),
        ["authentication.k8s.io/v1/SelfSubjectReview"] = Message("SelfSubjectReview",
            (1, Meta()), (2, Nested("status", Message("SelfSubjectReviewStatus", (1, Nested("userInfo", Message("UserInfo",
                (1, new("username", Text)), (2, new("uid", Text)), (3, new("groups", Text, Repeated: true))))))))),
        ["authorization.k8s.io/v1/SelfSubjectAccessReview"] = Message("SelfSubjectAccessReview",
            (1, Meta()), (2, Nested("spec", Message("SelfSubjectAccessReviewSpec",
                (1, Nested("resourceAttributes", ResourceAttributes)),
                (2, Nested("nonResourceAttributes", NonResourceAttributes))))),
            (3, Nested("status", AccessReviewStatus))),
        ["authorization.k8s.io/v1/SelfSubjectRulesReview"] = Message("SelfSubjectRulesReview",
            (1, Meta()), (2, Nested("spec", Message("SelfSubjectRulesReviewSpec", (1, new("namespace", Text))))),
            (3, Nested("status", Message("SubjectRulesReviewStatus", (3, new("incomplete", Flag)), (4, new("evaluationError", Text)))))),
    };

    private static ProtoField Meta() => Nested("metadata", ObjectMeta);

    private static ProtoField Nested(string name, ProtoMessage message) => new(name, ProtoShape.Message, message);

    private static ProtoMessage Message(string name, params (int Number, ProtoField Field)[] fields) =>
        new(name, fields.ToDictionary(f => f.Number, f => f.Field));
}
