using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// What <c>--version</c> prints. The commit and the build date are stamped into this assembly at build time
/// (BuildInfo.targets); "unknown" when the build had no git repository.
/// </summary>
public static partial class BuildInfo
{
    public static string BuildVersion { get; } = Version();

    public static string GitCommit => StampedCommit;

    public static string BuildDate => StampedDate;

    /// <summary>The .NET runtime, e.g. <c>.NET 10.0.12</c>.</summary>
    public static string RuntimeVersion => RuntimeInformation.FrameworkDescription;

    /// <summary>Go's spelling, as the original printed it: <c>linux/amd64</c>, <c>linux/arm64</c>.</summary>
    public static string Platform
    {
        get
        {
            var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "unknown";
            var architecture = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "amd64",
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "386",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}/{architecture}";
        }
    }

    /// <summary>One JSON line: <c>{"buildVersion","gitCommit","buildDate","runtimeVersion","platform"}</c>.</summary>
    public static string Json()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("buildVersion", BuildVersion);
            json.WriteString("gitCommit", GitCommit);
            json.WriteString("buildDate", BuildDate);
            json.WriteString("runtimeVersion", RuntimeVersion);
            json.WriteString("platform", Platform);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The informational version without the "+commit" suffix the SDK may append; the commit has its own field.
    private static string Version()
    {
        var version = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return "v" + (plus < 0 ? version : version[..plus]);
    }
}
