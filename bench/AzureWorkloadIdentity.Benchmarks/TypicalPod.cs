using System.Text;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Benchmarks;

/// <summary>A pod as a ReplicaSet controller creates it (about 4 KB of JSON), and its AdmissionReview.</summary>
public static class TypicalPod
{
    public const string Json = """
        {"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"orders-api-7c9d8f6b5d-","namespace":"shop",
        "uid":"7f1f5c1e-9a43-4c1e-b7a2-2d4c0f9e8b11","creationTimestamp":"2026-11-28T10:00:00Z",
        "labels":{"app":"orders-api","pod-template-hash":"7c9d8f6b5d","azure.workload.identity/use":"true","team":"checkout","version":"1.42.0"},
        "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T09:00:00Z","prometheus.io/scrape":"true","prometheus.io/port":"9090"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"orders-api-7c9d8f6b5d","uid":"a3c1e0d2-1111-4a5b-9c8d-123456789abc","controller":true,"blockOwnerDeletion":true}],
        "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-11-28T10:00:00Z","fieldsType":"FieldsV1",
        "fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"a3c1e0d2-1111-4a5b-9c8d-123456789abc\"}":{}}},
        "f:spec":{"f:containers":{"k:{\"name\":\"orders\"}":{".":{},"f:image":{},"f:name":{}}}}}}]},
        "spec":{"volumes":[{"name":"config","configMap":{"name":"orders-config","defaultMode":420}},
        {"name":"kube-api-access-x7k2p","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
        {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
        {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}}],
        "containers":[{"name":"orders","image":"registry.example/shop/orders-api:1.42.0","args":["--listen=:8080","--metrics=:9090"],
        "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
        "env":[{"name":"ASPNETCORE_ENVIRONMENT","value":"Production"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},
        {"name":"DB_HOST","value":"orders-db.shop.svc"}],
        "resources":{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"250m","memory":"256Mi"}},
        "volumeMounts":[{"name":"config","readOnly":true,"mountPath":"/etc/orders"},{"name":"kube-api-access-x7k2p","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],
        "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":5,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
        "readinessProbe":{"httpGet":{"path":"/readyz","port":8080,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":5,"successThreshold":1,"failureThreshold":3},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent",
        "securityContext":{"runAsNonRoot":true,"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}},
        {"name":"log-shipper","image":"registry.example/infra/log-shipper:3.1","resources":{"requests":{"cpu":"50m","memory":"64Mi"}},
        "volumeMounts":[{"name":"kube-api-access-x7k2p","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}],
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"orders","serviceAccount":"orders",
        "securityContext":{"fsGroup":2000},"schedulerName":"default-scheduler",
        "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
        {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
        "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":{"phase":"Pending","qosClass":"Burstable"}}
        """;

    public static byte[] PodUtf8 { get; } = Encoding.UTF8.GetBytes(Json);

    /// <summary>An AdmissionReview v1 as kube-apiserver posts it for <see cref="Json"/>.</summary>
    public static byte[] ReviewUtf8(string @namespace = "shop", string serviceAccount = "orders")
    {
        var pod = JsonNode.Parse(Json)!;
        pod["spec"]!["serviceAccountName"] = serviceAccount;
        pod["spec"]!["serviceAccount"] = serviceAccount;
        return Review(@namespace, pod);
    }

    private static byte[] Review(string @namespace, JsonNode pod) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["kind"] = "AdmissionReview",
        ["apiVersion"] = "admission.k8s.io/v1",
        ["request"] = new JsonObject
        {
            ["uid"] = "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["requestKind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["requestResource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = @namespace,
            ["operation"] = "CREATE",
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller", ["groups"] = new JsonArray("system:serviceaccounts", "system:authenticated") },
            ["object"] = pod,
            ["oldObject"] = null,
            ["dryRun"] = false,
            ["options"] = new JsonObject { ["kind"] = "CreateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
        },
    }.ToJsonString());
}
