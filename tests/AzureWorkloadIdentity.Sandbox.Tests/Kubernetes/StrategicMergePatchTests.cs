using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class StrategicMergePatchTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static void AssertPatched(string target, string patch, string expected) =>
        Assert.True(
            JsonNode.DeepEquals(Json(expected), StrategicMergePatch.Apply(Json(target), Json(patch))),
            StrategicMergePatch.Apply(Json(target), Json(patch)).ToJsonString());

    [Fact]
    public void Apply_ContainersByName_MergesMatchingAndAppendsNew() => AssertPatched(
        """{"containers":[{"name":"a","image":"x:1","args":["p"]},{"name":"b","image":"y"}]}""",
        """{"containers":[{"name":"a","image":"x:2"},{"name":"c","image":"z"}]}""",
        """{"containers":[{"name":"a","image":"x:2","args":["p"]},{"name":"b","image":"y"},{"name":"c","image":"z"}]}""");

    [Fact]
    public void Apply_DeleteDirectiveAndElementOrder_RemovesAndReorders() => AssertPatched(
        """{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]}""",
        """{"$setElementOrder/env":[{"name":"C"},{"name":"A"}],"env":[{"$patch":"delete","name":"B"}]}""",
        """{"env":[{"name":"C","value":"3"},{"name":"A","value":"1"}]}""");

    [Fact]
    public void Apply_PortsAndVolumeMounts_MergedByTheirKeys() => AssertPatched(
        """{"ports":[{"containerPort":80,"name":"http"}],"volumeMounts":[{"name":"d","mountPath":"/d"}]}""",
        """{"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443}],"volumeMounts":[{"name":"e","mountPath":"/d"}]}""",
        """{"ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}],"volumeMounts":[{"name":"e","mountPath":"/d"}]}""");

    [Fact]
    public void Apply_ReplaceDirectiveOnListAndMap_ReplacesWhole() => AssertPatched(
        """{"volumes":[{"name":"a","emptyDir":{}}],"selector":{"x":"1","y":"2"}}""",
        """{"volumes":[{"name":"b","secret":{"secretName":"s"}},{"$patch":"replace"}],"selector":{"$patch":"replace","z":"3"}}""",
        """{"volumes":[{"name":"b","secret":{"secretName":"s"}}],"selector":{"z":"3"}}""");

    [Fact]
    public void Apply_RetainKeysAndNull_DropsOtherFields() => AssertPatched(
        """{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"paused":true}""",
        """{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"paused":null}""",
        """{"strategy":{"type":"Recreate"}}""");

    [Fact]
    public void Apply_AtomicListAndMergedFinalizers_ReplaceAndUnion() => AssertPatched(
        """{"args":["a","b"],"finalizers":["x"]}""",
        """{"args":["c"],"finalizers":["y"],"$deleteFromPrimitiveList/finalizers":["x"]}""",
        """{"args":["c"],"finalizers":["y"]}""");

    [Fact]
    public void Apply_UnknownDirective_RefusedAsBadRequest()
    {
        var error = Assert.Throws<KubernetesApiException>(() => StrategicMergePatch.Apply(Json("{}"), Json("""{"$patch":"explode"}""")));

        Assert.Equal(400, error.Code);
    }
}
