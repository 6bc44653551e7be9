using AzureWorkloadIdentity.Cli.Commands.Doctor;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

public sealed class StringDifferenceTests
{
    [Theory]
    [InlineData("https://a/x/", "https://a/x/", -1)]
    [InlineData("https://a/x/", "https://a/x", 11)]
    [InlineData("https://a/X/", "https://a/x/", 10)]
    [InlineData("", "a", 0)]
    public void FirstDifference_Pairs_IndexOfFirstDifferingCharacter(string expected, string actual, int index) =>
        Assert.Equal(index, StringDifference.FirstDifference(expected, actual));

    [Fact]
    public void Mark_CaseDifference_CaretUnderTheCharacterAndSaysCase()
    {
        var lines = StringDifference.Mark("token sub", "system:serviceaccount:demo:Web", "credential", "system:serviceaccount:demo:web");

        Assert.Equal("token sub:  \"system:serviceaccount:demo:Web\"", lines[0]);
        Assert.Equal("credential: \"system:serviceaccount:demo:web\"", lines[1]);
        Assert.Equal(lines[0].IndexOf('W', StringComparison.Ordinal), lines[2].IndexOf('^', StringComparison.Ordinal));
        Assert.EndsWith("case differs at character 28", lines[2], StringComparison.Ordinal);
    }
}
