using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>
/// One local CA and server certificate, and one Entra token issuer (signing key), per test class: making RSA keys is
/// the slow part. The tests' tenant is <see cref="GraphSandbox.TenantId"/>.
/// </summary>
public sealed class TlsFixture : IDisposable
{
    public SandboxTls Tls { get; } = SandboxTls.Create();

    public AccessTokenIssuer Tokens { get; } = new(GraphSandbox.TenantId);

    public void Dispose()
    {
        Tls.Dispose();
        Tokens.Dispose();
    }
}
