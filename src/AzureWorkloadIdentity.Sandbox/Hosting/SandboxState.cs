using System.Text.Json;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>Saves and loads the cloud directory as JSON, so a second command sees what the first created.</summary>
internal static class SandboxState
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Save(string path, SandboxDirectory.State state)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, Options));
        if (!OperatingSystem.IsWindows())
        {
            // It holds client secrets of the sandbox's applications.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static SandboxDirectory.State Load(string path)
    {
        SandboxDirectory.State? loaded;
        try
        {
            loaded = JsonSerializer.Deserialize<SandboxDirectory.State>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the sandbox state file {path} is not valid JSON ({e.Message}); delete it to start afresh", e);
        }

        if (loaded is null)
        {
            throw new InvalidDataException($"the sandbox state file {path} is empty; delete it to start afresh");
        }

        // Keys are compared case-insensitively, like Azure's ids; JSON loses the comparer, so restore it.
        return new SandboxDirectory.State(
            Insensitive(loaded.Applications), Insensitive(loaded.ServicePrincipals), Insensitive(loaded.Identities),
            Insensitive(loaded.ResourceGroups), Insensitive(loaded.RoleAssignments), Insensitive(loaded.Vaults));
    }

    private static Dictionary<string, T> Insensitive<T>(IReadOnlyDictionary<string, T> map) =>
        new(map, StringComparer.OrdinalIgnoreCase);
}
