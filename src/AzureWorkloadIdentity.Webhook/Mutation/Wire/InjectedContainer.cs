using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// A container the webhook adds to pods (the proxy's init container or sidecar), serialised once: as built, for a pod
/// whose skip-containers annotation names it, and with the token mount and its <c>env</c> split where a service
/// account's identity variables go, so an admission only splices the cached pieces together.
/// </summary>
public sealed class InjectedContainer
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly string[] _ownVariables;
    private readonly bool _hasOwnEntries;

    private InjectedContainer(string name, byte[] plain, byte[] head, byte[] tail, JsonArray ownEnv)
    {
        Name = name;
        Plain = plain;
        _head = head;
        _tail = tail;
        _ownVariables = ownEnv.Select(entry => entry is JsonObject named && named["name"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null)
            .OfType<string>()
            .ToArray();
        _hasOwnEntries = ownEnv.Count > 0;
    }

    /// <summary>The container's name.</summary>
    public string Name { get; }

    /// <summary>The container as built, without identity variables or token mount.</summary>
    public ReadOnlyMemory<byte> Plain { get; }

    /// <summary>
    /// Serialises <paramref name="container"/> (which must have a string <c>name</c>) as is and with the token mount,
    /// leaving room for identity variables after its own <c>env</c> entries.
    /// </summary>
    public static InjectedContainer Create(JsonObject container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var name = container["name"]?.GetValue<string>() ?? throw new ArgumentException("the container has no name", nameof(container));
        var withMount = (JsonObject)container.DeepClone();
        if (withMount["env"] is not JsonArray env)
        {
            env = [];
            withMount["env"] = env;
        }

        TokenMountRule.ApplyTo(withMount);
        var json = PatchValue.From(withMount);
        var envEnd = EndOfTopLevelArray(json, "env"u8);
        return new InjectedContainer(name, PatchValue.From(container), json[..envEnd], json[envEnd..], env);
    }

    /// <summary>
    /// The container with the token mount and the identity variables it does not define itself appended to its
    /// <c>env</c>; the same JSON as adding them to the built container and serialising it.
    /// </summary>
    public byte[] WithIdentity(IdentityEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var variables = environment.Variables;
        var added = 0;
        var count = 0;
        for (var i = 0; i < variables.Count; i++)
        {
            if (!IsOwn(variables[i]))
            {
                added += variables[i].Json.Length;
                count++;
            }
        }

        // A comma precedes each added entry, except the first when the container has no env entries of its own.
        var separators = count == 0 || _hasOwnEntries ? count : count - 1;
        var result = new byte[_head.Length + added + separators + _tail.Length];
        var cursor = new ByteCursor(result);
        cursor.Write(_head);
        for (var i = 0; i < variables.Count; i++)
        {
            var variable = variables[i];
            if (IsOwn(variable))
            {
                continue;
            }

            if (_hasOwnEntries || cursor.Position > _head.Length)
            {
                cursor.Write((byte)',');
            }

            cursor.Write(variable.Json.Span);
        }

        cursor.Write(_tail);
        return result;
    }

    private bool IsOwn(EnvironmentVariable variable) => _ownVariables.Contains(variable.Name, StringComparer.Ordinal);

    /// <summary>The offset of the <c>]</c> that closes the array member <paramref name="member"/> of the top-level object.</summary>
    private static int EndOfTopLevelArray(byte[] json, ReadOnlySpan<byte> member)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(member))
            {
                reader.Read();
                reader.Skip();
                return checked((int)reader.TokenStartIndex);
            }
        }

        throw new InvalidOperationException("the serialised container has no env array");
    }
}
