using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// The samples (examples/&lt;name&gt;) as the local kubelet runs them: the C# ones as their built assemblies, the
/// Python ones with Debian's interpreter (where python3-msal and python3-azure are installed), the Node.js ones with
/// <c>node</c> and the packages <c>npm ci</c> put in their folder. A missing prerequisite is reported in one line
/// naming the command that installs it.
/// </summary>
internal static class SampleImages
{
    /// <summary>The command that installs what every sample needs.</summary>
    public const string InstallCommand = "bash scripts/install-prereqs.sh";

    /// <summary>Debian's interpreter: python3-msal and python3-azure install their modules for it only.</summary>
    public const string Python = "/usr/bin/python3";

    public static IReadOnlyList<string> Names { get; } =
        ["msal-net", "azure-identity-dotnet", "msal-python", "azure-identity-python", "msal-node", "azure-identity-js"];

    /// <summary>The image <paramref name="repository"/> running <paramref name="sample"/>, its prerequisites checked.</summary>
    /// <exception cref="InvalidOperationException">A prerequisite is missing; the message names the install command.</exception>
    public static LocalImage Create(string repository, string sample) => sample switch
    {
        "msal-net" or "azure-identity-dotnet" => new LocalImage(repository, "dotnet", [RepositoryPrograms.Find(sample)]),
        "msal-python" => PythonImage(repository, sample, "msal", "azure.keyvault.secrets"),
        "azure-identity-python" => PythonImage(repository, sample, "azure.identity", "azure.keyvault.secrets"),
        "msal-node" => NodeImage(repository, sample, "@azure/msal-node"),
        "azure-identity-js" => NodeImage(repository, sample, "@azure/identity"),
        _ => throw new ArgumentException($"unknown sample \"{sample}\"; use one of {string.Join(", ", Names)}", nameof(sample)),
    };

    private static LocalImage PythonImage(string repository, string sample, params string[] modules)
    {
        var script = RepositoryPrograms.FindSource(sample, "main.py");
        var missing = $"the {sample} sample needs Debian's python3, python3-msal and python3-azure; run: {InstallCommand}";
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException(missing);
        }

        return ProgramProbe.ExitCode(Python, ["-c", "import " + string.Join(", ", modules)]) == 0 ? new LocalImage(repository, Python, [script]) : throw new InvalidOperationException(missing);
    }

    private static LocalImage NodeImage(string repository, string sample, string package)
    {
        var script = RepositoryPrograms.FindSource(sample, "index.mjs");
        var installed = Path.Combine([Path.GetDirectoryName(script)!, "node_modules", .. package.Split('/'), "package.json"]);
        if (!File.Exists(installed) || ProgramProbe.ExitCode("node", ["--version"]) != 0)
        {
            throw new InvalidOperationException(
                $"the {sample} sample needs Node.js and its npm packages (npm ci in examples/{sample}); run: {InstallCommand}");
        }

        return new LocalImage(repository, "node", [script]);
    }
}
