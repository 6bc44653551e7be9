using System.Text.Encodings.Web;
using System.Text.Json;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.OpenApi;

/// <summary>
/// The API server's embedded OpenAPI schemas are generated from KubernetesClient's models; this test regenerates
/// them and fails when the committed file differs (a KubernetesClient upgrade, a kind added to the catalog).
/// </summary>
public sealed class OpenApiSchemaFileTests
{
    private const string UpdateVariable = "AZWI_UPDATE_OPENAPI_SCHEMAS";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void SchemasJson_Regenerated_MatchesTheCommittedFile()
    {
        var file = Path.Combine(SettingsDocumentation.RepositoryRoot(), "src", "AzureWorkloadIdentity.Sandbox.Kubernetes", "OpenApi", "schemas.json");
        var generated = OpenApiSchemaGenerator.Generate().ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(file, generated);
        }

        Assert.True(
            File.ReadAllText(file) == generated,
            $"src/AzureWorkloadIdentity.Sandbox.Kubernetes/OpenApi/schemas.json is stale: regenerate it with {UpdateVariable}=1 dotnet test tests/AzureWorkloadIdentity.Sandbox.Tests --filter {nameof(SchemasJson_Regenerated_MatchesTheCommittedFile)}");
    }
}
