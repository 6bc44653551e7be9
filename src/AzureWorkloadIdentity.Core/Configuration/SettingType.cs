namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// The type a setting's text must parse as, checked before binding so every value that does not parse is reported
/// at once, by the name the user gave it (the configuration binder stops at the first and names only the key).
/// </summary>
public enum SettingType
{
    Text,
    Integer,
    Boolean,
    TimeSpan,
}
