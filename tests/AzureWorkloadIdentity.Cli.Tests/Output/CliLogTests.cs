using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Tests.Output;

public sealed class CliLogTests
{
    [Fact]
    public void Info_FieldsOutOfOrder_DocumentedLayoutWithSortedQuotedFields()
    {
        using var writer = new StringWriter();
        var log = new CliLog(writer, debug: false, TimeProvider.System);

        log.Info("[aad-application] created an AAD application",
            ("objectID", "19888f97-e0d3-4f61-8eb9-b87bf161e27d"),
            ("name", "default-azwi-sa-1g7d7NgSw9Q2EsSeafgx8uQKqR4q6zTrsPjDdrvN79Y="),
            ("clientID", "936ed007-52c2-4785-8c09-04eeca2e5970"));

        Assert.Equal(
            "INFO[0000] [aad-application] created an AAD application  clientID=936ed007-52c2-4785-8c09-04eeca2e5970 name=\"default-azwi-sa-1g7d7NgSw9Q2EsSeafgx8uQKqR4q6zTrsPjDdrvN79Y=\" objectID=19888f97-e0d3-4f61-8eb9-b87bf161e27d\n",
            writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Info_ShortMessage_PaddedTo44Columns()
    {
        using var writer = new StringWriter();
        new CliLog(writer, debug: false, TimeProvider.System).Info("skipping phase", ("phase", "role-assignment"));

        Assert.Equal("INFO[0000] skipping phase                                phase=role-assignment", writer.ToString().TrimEnd());
    }

    [Fact]
    public void Debug_DebugDisabled_WritesNothing()
    {
        using var writer = new StringWriter();
        new CliLog(writer, debug: false, TimeProvider.System).Debug("hidden");

        Assert.Equal(string.Empty, writer.ToString());
    }

    [Theory]
    [InlineData("CliLog-Warning", nameof(CliLogLevel.Warning), "WARN[0000] ")]
    [InlineData("CliLog-Error", nameof(CliLogLevel.Error), "ERRO[0000] ")]
    [InlineData("CliLog-Debug", nameof(CliLogLevel.Debug), "DEBU[0000] ")]
    public void Write_Level_FourLetterPrefix(string message, string level, string prefix)
    {
        using var writer = new StringWriter();
        new CliLog(writer, debug: true, TimeProvider.System).Write(Enum.Parse<CliLogLevel>(level), message, []);

        Assert.StartsWith(prefix + message, writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain-value_1.2/x@y^z+", "plain-value_1.2/x@y^z+")]
    [InlineData("system:serviceaccount:default:azwi-sa", "\"system:serviceaccount:default:azwi-sa\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    public void FormatValue_Characters_QuotedOnlyWhenNeeded(string value, string expected) =>
        Assert.Equal(expected, CliLog.FormatValue(value));
}
