namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// One flag or environment variable of a process: the name the user types, the configuration key it sets, its type,
/// its default as shown by <c>--help</c> and in the docs, and what it means.
/// </summary>
public sealed record Setting(string Name, string Key, SettingKind Kind, SettingType Type, string Default, string Description)
{
    /// <summary>The name as written by a user: <c>--port</c> for a flag, the variable's name otherwise.</summary>
    public string DisplayName => Kind == SettingKind.Environment ? Name : "--" + Name;

    public static Setting Flag(string name, string key, string @default, string description, SettingType type = SettingType.Text) =>
        new(name, key, SettingKind.Flag, type, @default, description);

    public static Setting Switch(string name, string key, string description) =>
        new(name, key, SettingKind.Switch, SettingType.Boolean, "false", description);

    /// <summary>
    /// An environment variable. Without <paramref name="key"/> it sets the key the environment provider gives it
    /// (<c>Section__Name</c> → <c>Section:Name</c>); with one, its value is copied there unless that key is set.
    /// </summary>
    public static Setting Variable(string name, string @default, string description, SettingType type = SettingType.Text, string? key = null) =>
        new(name, key ?? name.Replace("__", ":", StringComparison.Ordinal), SettingKind.Environment, type, @default, description);
}
