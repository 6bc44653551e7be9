namespace AzureWorkloadIdentity.Cli.Output;

/// <summary>
/// Where azwi writes: data (JWKS, version) to <see cref="Out"/>, logs and errors to <see cref="Error"/>.
/// Tests pass <see cref="StringWriter"/>s to capture both.
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;
}
