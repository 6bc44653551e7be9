using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation.Wire;

public sealed class KnownStringsTests
{
    // Made at run time: a literal would be the interned instance that any other "CREATE" literal shares.
    private static readonly string Create = string.Concat("CRE", "ATE".AsSpan());
    private readonly KnownStrings _known = new("UPDATE", Create);

    [Theory]
    [InlineData("\"CREATE\"")]
    [InlineData("\"\\u0043REATE\"")]
    public void Get_KnownValue_AnswersTheKnownInstance(string json)
    {
        var reader = Reader(json);

        Assert.Same(Create, _known.Get(ref reader));
    }

    [Theory]
    [InlineData("\"CREATED\"", "CREATED")]
    [InlineData("\"create\"", "create")]
    [InlineData("\"\"", "")]
    public void Get_OtherValue_AnswersItsText(string json, string expected)
    {
        var reader = Reader(json);

        var value = _known.Get(ref reader);

        Assert.Equal(expected, value);
        Assert.NotSame(Create, value);
    }

    private static Utf8JsonReader Reader(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return reader;
    }
}
