using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

public sealed class PatchBuilderTests
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("""{"name":"é+<x>","n":[1,2]}""");

    public static TheoryData<string[]> PathSets() => new()
    {
        Array.Empty<string>(),
        new[] { "/spec/containers/0/env/-" },
        new[] { "/spec/initContainers", "/spec/containers/12/volumeMounts/-", "/spec/volumes" },
        new[] { "/metadata/annotations/a~1b_c.d" },
    };

    [Theory]
    [MemberData(nameof(PathSets))]
    public void ToArray_SameBytesAsAJsonWriter(string[] paths)
    {
        var operations = paths.Select(path => new PatchOperation(path, Value)).ToArray();
        var written = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(written))
        {
            writer.WriteStartArray();
            foreach (var operation in operations)
            {
                writer.WriteStartObject();
                writer.WriteString("op", "add");
                writer.WriteString("path", operation.Path);
                writer.WritePropertyName("value");
                writer.WriteRawValue(operation.Value.Span);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        var bytes = new PatchDocument(operations).ToArray();

        Assert.Equal(Encoding.UTF8.GetString(written.WrittenSpan), Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("/metadata/annotations/a+b")]
    [InlineData("/metadata/annotations/caf\u00e9")]
    [InlineData("/metadata/annotations/q\"uote")]
    public void ToArray_PathJsonWouldEscape_IsRefusedWithThePath(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => new PatchDocument([new PatchOperation("/spec/volumes", Value), new PatchOperation(path, Value)]).ToArray());

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_ExistingAndMissingArrays_AppendOrCreate()
    {
        var builder = new PatchBuilder();
        var env = ContainerList.Containers.Item(3).Env;

        builder.Append(env, true, Value);
        builder.Append(ArrayPath.Volumes, false, Value);
        builder.AppendAll(ContainerList.InitContainers.Item(20).VolumeMounts, true, [Value, Value]);
        builder.AppendAll(ContainerList.InitContainers.Path, false, [Value, Value]);

        Assert.Equal(
            ["/spec/containers/3/env/-", "/spec/volumes", "/spec/initContainers/20/volumeMounts/-", "/spec/initContainers/20/volumeMounts/-", "/spec/initContainers"],
            builder.Operations.Select(op => op.Path));
        Assert.Equal("[" + Encoding.UTF8.GetString(Value) + "]", Encoding.UTF8.GetString(builder.Operations[1].Value.Span));
        Assert.Equal("[" + Encoding.UTF8.GetString(Value) + "," + Encoding.UTF8.GetString(Value) + "]", Encoding.UTF8.GetString(builder.Operations[4].Value.Span));
    }

    [Fact]
    public void ToArray_ReplaceAndRemove_ExactBytesTheLibraryApplies()
    {
        var builder = new PatchBuilder();
        builder.Replace("/spec/containers/0/env/0/value", Encoding.UTF8.GetBytes("\"new\""));
        builder.Remove("/spec/containers/0/env/1");
        builder.Append(new ArrayPath("/spec/containers/0/env"), true, Encoding.UTF8.GetBytes("""{"name":"C"}"""));

        var bytes = new PatchDocument(builder.Operations).ToArray();

        Assert.Equal(
            """[{"op":"replace","path":"/spec/containers/0/env/0/value","value":"new"},{"op":"remove","path":"/spec/containers/0/env/1"},{"op":"add","path":"/spec/containers/0/env/-","value":{"name":"C"}}]""",
            Encoding.UTF8.GetString(bytes));
        var pod = System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"containers":[{"env":[{"name":"A","value":"old"},{"name":"B"}]}]}}""")!;
        Assert.Equal("""{"spec":{"containers":[{"env":[{"name":"A","value":"new"},{"name":"C"}]}]}}""", PodPatch.Apply(pod, bytes).ToJsonString());
    }
}
