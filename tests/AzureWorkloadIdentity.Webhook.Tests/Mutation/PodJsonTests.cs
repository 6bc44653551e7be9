using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>The tolerant readers: members of the wrong JSON type, and parents that are not objects, read as absent.</summary>
public sealed class PodJsonTests
{
    [Theory]
    [InlineData("""{"m":"text"}""", "text")]
    [InlineData("""{"m":"tr\u0075e"}""", "true")]
    [InlineData("""{"m":5}""", null)]
    [InlineData("""{"m":true}""", null)]
    [InlineData("""{"m":null}""", null)]
    [InlineData("""{"m":["text"]}""", null)]
    [InlineData("""{"m":{"m":"text"}}""", null)]
    [InlineData("""{}""", null)]
    [InlineData("""["text"]""", null)]
    [InlineData("\"text\"", null)]
    public void String_AnyMember_ReadsOnlyStrings(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, PodJson.String(document.RootElement, "m"));
        Assert.Equal(expected == "true", PodJson.StringEquals(document.RootElement, "m", "true"));
    }

    [Theory]
    [InlineData("""{"m":{}}""", JsonValueKind.Object, JsonValueKind.Undefined)]
    [InlineData("""{"m":[]}""", JsonValueKind.Undefined, JsonValueKind.Array)]
    [InlineData("""{"m":null}""", JsonValueKind.Undefined, JsonValueKind.Undefined)]
    [InlineData("""{"m":"[]"}""", JsonValueKind.Undefined, JsonValueKind.Undefined)]
    [InlineData("""[{"m":{}}]""", JsonValueKind.Undefined, JsonValueKind.Undefined)]
    [InlineData("""7""", JsonValueKind.Undefined, JsonValueKind.Undefined)]
    public void ObjectAndArray_AnyMember_ReadOnlyTheirKind(string json, JsonValueKind asObject, JsonValueKind asArray)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(asObject, PodJson.Object(document.RootElement, "m").ValueKind);
        Assert.Equal(asArray, PodJson.Array(document.RootElement, "m").ValueKind);
    }

    [Theory]
    [InlineData("""{"m":true}""", true)]
    [InlineData("""{"m":"true"}""", false)]
    [InlineData("""{"m":1}""", false)]
    [InlineData("""{"m":false}""", false)]
    [InlineData("""{}""", false)]
    public void IsTrue_AnyMember_OnlyForJsonTrue(string json, bool expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, PodJson.IsTrue(document.RootElement, "m"));
    }

    [Theory]
    [InlineData("""[{"name":"a"},{"name":"b"}]""", true)]
    [InlineData("""[{"name":"a"},"b",null,7,{"name":["b"]}]""", false)]
    [InlineData("""[{"name":"a"},{"other":"b"}]""", false)]
    [InlineData("""{"name":"b"}""", false)]
    [InlineData("""[]""", false)]
    public void ContainsNamed_AnyArray_MatchesOnlyObjectsWithThatStringName(string json, bool expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, PodJson.ContainsNamed(document.RootElement, "b"));
    }

    [Fact]
    public void ContainsNamed_UndefinedElement_IsFalse() => Assert.False(PodJson.ContainsNamed(default, "b"));

    [Theory]
    [InlineData("""{"metadata":{"name":"web-1","generateName":"web-"}}""", "web-1")]
    [InlineData("""{"metadata":{"name":"","generateName":"web-"}}""", "web- (prefix)")]
    [InlineData("""{"metadata":{"name":5,"generateName":"web-"}}""", "web- (prefix)")]
    [InlineData("""{"metadata":{"generateName":5}}""", "")]
    [InlineData("""{"metadata":"web-1"}""", "")]
    [InlineData("""null""", "")]
    public void DisplayName_AnyPod_NameElsePrefix(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, PodJson.DisplayName(document.RootElement));
    }

    [Fact]
    public void Annotation_MetadataOfWrongTypes_ReadsAsAbsent()
    {
        using var annotationsArray = JsonDocument.Parse("""{"metadata":{"annotations":["k"]}}""");
        using var metadataString = JsonDocument.Parse("""{"metadata":"k"}""");
        using var present = JsonDocument.Parse("""{"metadata":{"annotations":{"k":"v"},"labels":{"k":"l"}}}""");

        Assert.Null(PodJson.Annotation(annotationsArray.RootElement, "k"));
        Assert.Null(PodJson.Annotation(metadataString.RootElement, "k"));
        Assert.Equal("v", PodJson.Annotation(present.RootElement, "k"));
        Assert.True(PodJson.StringEquals(PodJson.Labels(present.RootElement), "k", "l"));
    }
}
