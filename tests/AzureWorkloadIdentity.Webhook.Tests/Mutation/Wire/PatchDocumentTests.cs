using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation.Wire;

public sealed class PatchDocumentTests
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("""{"name":"é+<x>","n":[1,2]}""");

    public static TheoryData<int> OperationCounts() => [0, 1, 9, 400];

    [Theory]
    [MemberData(nameof(OperationCounts))]
    public void Length_IsTheSizeOfTheWrittenDocument(int count)
    {
        var document = new PatchDocument(Operations(count));

        var bytes = document.ToArray();

        Assert.Equal(document.Length, bytes.Length);
        using var parsed = JsonDocument.Parse(bytes);
        Assert.Equal(count, parsed.RootElement.GetArrayLength());
    }

    [Fact]
    public void WriteTo_EveryKind_WritesRfc6902Operations()
    {
        var document = new PatchDocument(
        [
            new PatchOperation("/spec/volumes", Value),
            new PatchOperation("/spec/containers/0/env/1", Value, PatchOperationKind.Replace),
            new PatchOperation("/spec/containers/0/env/2", ReadOnlyMemory<byte>.Empty, PatchOperationKind.Remove),
        ]);

        Assert.Equal(
            """[{"op":"add","path":"/spec/volumes","value":{"name":"é+<x>","n":[1,2]}},{"op":"replace","path":"/spec/containers/0/env/1","value":{"name":"é+<x>","n":[1,2]}},{"op":"remove","path":"/spec/containers/0/env/2"}]""",
            Encoding.UTF8.GetString(document.ToArray()));
    }

    [Theory]
    [MemberData(nameof(OperationCounts))]
    public void WriteBase64_WritesTheDocumentAsOneBase64String(int count)
    {
        var document = new PatchDocument(Operations(count));
        var output = new ArrayBufferWriter<byte>();

        using (var json = new Utf8JsonWriter(output))
        {
            document.WriteBase64(json);
        }

        var reader = new Utf8JsonReader(output.WrittenSpan);
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.String, reader.TokenType);
        Assert.Equal(document.ToArray(), reader.GetBytesFromBase64());
    }

    private static PatchOperation[] Operations(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PatchOperation($"/spec/containers/{i}/env/-", Value))];
}
