using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.OpenApi;

/// <summary>
/// The summaries of KubernetesClient's XML documentation file (copied beside the test binaries by
/// <c>CopyDocumentationFilesFromPackages</c>): the Kubernetes API's own field descriptions, which the generated
/// models carry over from the published OpenAPI documents.
/// </summary>
internal sealed partial class ModelDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private ModelDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    public static ModelDocumentation For(Assembly assembly)
    {
        var file = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} is missing: the test project copies KubernetesClient's XML documentation (CopyDocumentationFilesFromPackages)", file);
        }

        var summaries = XDocument.Load(file).Descendants("member")
            .Where(member => member.Element("summary") is not null && !IsAboutTheClient(member.Element("summary")!.Value))
            .ToDictionary(member => (string)member.Attribute("name")!, member => Normalize(member.Element("summary")!.Value), StringComparer.Ordinal);
        return new ModelDocumentation(summaries);
    }

    public string? OfType(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName);

    public string? OfProperty(PropertyInfo property) => _summaries.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}");

    // A hand-written partial class of the client's can replace the API's summary of a model with one about the
    // client's code ("Partial implementation of the IMetadata interface …"); no description is better than that.
    private static bool IsAboutTheClient(string summary) => summary.Contains("Partial implementation of", StringComparison.Ordinal);

    // The summaries are wrapped at ~80 columns and indented: one line of text, as the API documents have it.
    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
