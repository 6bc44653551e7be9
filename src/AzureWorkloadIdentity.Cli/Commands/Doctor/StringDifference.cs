namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// Two strings Entra ID compares byte for byte, printed one above the other with a caret under the first character
/// that differs (a trailing slash or a case difference is invisible otherwise).
/// </summary>
internal static class StringDifference
{
    public static int FirstDifference(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var length = Math.Min(expected.Length, actual.Length);
        for (var i = 0; i < length; i++)
        {
            if (expected[i] != actual[i])
            {
                return i;
            }
        }

        return expected.Length == actual.Length ? -1 : length;
    }

    /// <summary>Three lines: both strings quoted under their labels, and a caret with what differs.</summary>
    public static IReadOnlyList<string> Mark(string expectedLabel, string expected, string actualLabel, string actual)
    {
        ArgumentNullException.ThrowIfNull(expectedLabel);
        ArgumentNullException.ThrowIfNull(actualLabel);
        var width = Math.Max(expectedLabel.Length, actualLabel.Length) + 2;
        var index = FirstDifference(expected, actual);
        var why = index < 0 ? "identical"
            : index == expected.Length || index == actual.Length ? $"one ends at character {index + 1}, the other goes on"
            : char.ToUpperInvariant(expected[index]) == char.ToUpperInvariant(actual[index]) ? $"case differs at character {index + 1}"
            : $"differs at character {index + 1}";
        return
        [
            (expectedLabel + ":").PadRight(width) + "\"" + expected + "\"",
            (actualLabel + ":").PadRight(width) + "\"" + actual + "\"",
            new string(' ', width + 1 + Math.Max(index, 0)) + "^ " + why,
        ];
    }
}
