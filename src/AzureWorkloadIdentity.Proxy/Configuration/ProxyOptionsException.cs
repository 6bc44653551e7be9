namespace AzureWorkloadIdentity.Proxy.Configuration;

/// <summary>The proxy cannot start; <see cref="Errors"/> names every missing or invalid setting.</summary>
public sealed class ProxyOptionsException(IReadOnlyList<string> errors)
    : Exception("The IMDS proxy cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
