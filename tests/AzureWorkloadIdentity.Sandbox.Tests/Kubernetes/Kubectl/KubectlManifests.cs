namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>Manifests the kubectl tests apply.</summary>
internal static class KubectlManifests
{
    public static string Deployment(string name, int replicas, string image = "nginx:1.27") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: nginx
                image: {image}
        """;

    public static string HeldConfigMap(string name) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          finalizers:
          - example.com/hold
        data:
          a: "1"
        """;
}
