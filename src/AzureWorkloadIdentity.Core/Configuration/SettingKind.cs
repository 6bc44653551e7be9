namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>How a setting reaches the process.</summary>
public enum SettingKind
{
    /// <summary>A command-line flag that takes a value: <c>--name value</c>, <c>--name=value</c>, <c>-name=value</c>.</summary>
    Flag,

    /// <summary>A boolean flag that may be given bare (<c>--name</c> means true).</summary>
    Switch,

    /// <summary>An environment variable.</summary>
    Environment,
}
