using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation.Pods;

/// <summary>The one forward pass keeps what the rules read, tolerantly: members of the wrong JSON type read as absent.</summary>
public sealed class PodViewTests
{
    private static PodView Parse(string json) => PodView.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":"true"}}}""", "true")]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":"tr\u0075e"}}}""", "true")]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity\/use":"yes"}}}""", "yes")]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":true}}}""", null)]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":null}}}""", null)]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":["true"]}}}""", null)]
    [InlineData("""{"metadata":{"labels":["azure.workload.identity/use"]}}""", null)]
    [InlineData("""{"metadata":"azure.workload.identity/use"}""", null)]
    [InlineData("""{"metadata":{"labels":{"azure.workload.identity/use":"true","azure.workload.identity/use":"no"}}}""", "no")]
    public void Parse_UseLabel_OnlyStringsAndTheLastOneCounts(string json, string? expected) =>
        Assert.Equal(expected, Parse(json).Metadata.UseLabel);

    [Fact]
    public void Parse_Annotations_KeepsOursAndTheirKinds()
    {
        var pod = Parse("""
            {"metadata":{"annotations":{"other":"x","azure.workload.identity/skip-containers":"a;b",
             "azure.workload.identity/service-account-token-expiration":5,"azure.workload.identity/inject-proxy-sidecar":"true",
             "azure.workload.identity/proxy-sidecar-port":"8001","azure.workload.identity/injected":7}}}
            """);

        var annotations = pod.Metadata.Annotations;
        Assert.Equal(JsonValueKind.Object, pod.Metadata.AnnotationsKind);
        Assert.Equal("a;b", annotations.SkipContainers);
        Assert.Null(annotations.TokenExpiration);
        Assert.Equal("true", annotations.InjectProxySidecar);
        Assert.Equal("8001", annotations.ProxySidecarPort);
        Assert.True(annotations.InjectedPresent);
        Assert.Null(annotations.Injected);
    }

    [Theory]
    [InlineData("""{}""", JsonValueKind.Undefined, JsonValueKind.Undefined)]
    [InlineData("""{"metadata":null}""", JsonValueKind.Null, JsonValueKind.Undefined)]
    [InlineData("""{"metadata":{"annotations":null}}""", JsonValueKind.Object, JsonValueKind.Null)]
    [InlineData("""{"metadata":{"annotations":["k"]}}""", JsonValueKind.Object, JsonValueKind.Array)]
    [InlineData("""{"metadata":"k"}""", JsonValueKind.String, JsonValueKind.Undefined)]
    public void Parse_MetadataAndAnnotations_KeepTheirKinds(string json, JsonValueKind metadata, JsonValueKind annotations)
    {
        var pod = Parse(json);

        Assert.Equal(metadata, pod.Metadata.Kind);
        Assert.Equal(annotations, pod.Metadata.AnnotationsKind);
        Assert.False(pod.Metadata.Annotations.InjectedPresent);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"web-1","generateName":"web-"}}""", "web-1")]
    [InlineData("""{"metadata":{"name":"","generateName":"web-"}}""", "web- (prefix)")]
    [InlineData("""{"metadata":{"name":5,"generateName":"web-"}}""", "web- (prefix)")]
    [InlineData("""{"metadata":{"generateName":5}}""", "")]
    [InlineData("""{"metadata":"web-1"}""", "")]
    [InlineData("""null""", "")]
    public void DisplayName_AnyPod_NameElsePrefix(string json, string expected) => Assert.Equal(expected, Parse(json).DisplayName);

    [Theory]
    [InlineData("""{"spec":{"hostNetwork":true}}""", true)]
    [InlineData("""{"spec":{"hostNetwork":"true"}}""", false)]
    [InlineData("""{"spec":{"hostNetwork":{"a":true}}}""", false)]
    [InlineData("""{"spec":{"hostNetwork":false}}""", false)]
    public void Parse_HostNetwork_OnlyJsonTrue(string json, bool expected) => Assert.Equal(expected, Parse(json).Spec.HostNetwork);

    [Fact]
    public void Parse_Containers_ElementsOfEveryKindKeepTheirIndex()
    {
        var pod = Parse("""{"spec":{"containers":[{"name":"a"},"b",null,{"name":["c"]},{"name":"d","env":{},"volumeMounts":null}]}}""");

        var items = pod.Spec.Containers.Items;
        Assert.True(pod.Spec.Containers.Exists);
        Assert.Equal(["a", null, null, null, "d"], items.Select(c => c.Name));
        Assert.Equal(
            [JsonValueKind.Object, JsonValueKind.String, JsonValueKind.Null, JsonValueKind.Object, JsonValueKind.Object],
            items.Select(c => c.Kind));
        Assert.Equal(JsonValueKind.Object, items[4].EnvKind);
        Assert.Equal(JsonValueKind.Null, items[4].VolumeMountsKind);
        Assert.True(pod.Spec.HasContainer("d"));
        Assert.False(pod.Spec.HasContainer("b"));
    }

    [Fact]
    public void Parse_Env_FirstEntryOfEachIdentityVariableWithItsIndexValueAndReference()
    {
        var pod = Parse("""
            {"spec":{"containers":[{"name":"app","env":[
              {"name":"OTHER","value":"x"},
              7,
              {"value":"client-1","name":"AZURE_CLIENT_ID"},
              {"name":"AZURE_CLIENT_ID","value":"second"},
              {"name":"AZURE_TENANT_ID","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},
              {"name":"AZURE_AUTHORITY_HOST","value":5}]}]}}
            """);

        var container = pod.Spec.Containers.Items.Single();
        Assert.Equal(new EnvEntry(2, "client-1", false), container.Env(WorkloadIdentityEnvironment.ClientId));
        Assert.Equal(new EnvEntry(4, null, true), container.Env(WorkloadIdentityEnvironment.TenantId));
        Assert.Equal(new EnvEntry(5, null, false), container.Env(WorkloadIdentityEnvironment.AuthorityHost));
        Assert.Null(container.Env(WorkloadIdentityEnvironment.FederatedTokenFile));
        Assert.Null(container.Env("OTHER"));
    }

    [Theory]
    [InlineData("""[{"name":"azure-identity-token","mountPath":"/elsewhere"}]""", true)]
    [InlineData("""[{"name":"other"},"azure-identity-token"]""", false)]
    [InlineData("""{"name":"azure-identity-token"}""", false)]
    public void Parse_VolumeMounts_TokenMountByName(string mounts, bool expected) =>
        Assert.Equal(expected, Parse("""{"spec":{"containers":[{"name":"app","volumeMounts":""" + mounts + "}]}}").Spec.Containers.Items[0].HasTokenMount);

    [Fact]
    public void Parse_Volumes_TokenVolumesWithTheirTokenSources()
    {
        var pod = Parse("""
            {"spec":{"volumes":[
              {"name":"kube-api-access","projected":{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":3607}}]}},
              {"projected":{"sources":[{"configMap":{}},{"serviceAccountToken":{"expirationSeconds":7200,"path":"azure-identity-token"}}]},"name":"azure-identity-token"},
              {"name":"azure-identity-token","emptyDir":{}},
              {"name":"azure-identity-token","projected":{"sources":[{"serviceAccountToken":{"path":"azure-identity-token","expirationSeconds":1.5}}]}}]}}
            """);

        var volumes = pod.Spec.TokenVolumes;
        Assert.Equal(JsonValueKind.Array, pod.Spec.VolumesKind);
        Assert.Equal([1, 2, 3], volumes.Select(v => v.Index));
        Assert.Equal([(1, (long?)7200)], volumes[0].TokenSources);
        Assert.False(volumes[1].ProjectsToken);
        Assert.Equal([(0, (long?)null)], volumes[2].TokenSources);
    }

    [Fact]
    public void Parse_TrailingContent_Throws() =>
        Assert.ThrowsAny<JsonException>(() => Parse("""{"metadata":{}} {}"""));
}
