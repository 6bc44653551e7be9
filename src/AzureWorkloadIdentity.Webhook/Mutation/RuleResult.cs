namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>What a deciding rule gives: a value, or a <see cref="Denial"/>. Rules return either directly (implicit conversions).</summary>
internal readonly struct RuleResult<T>
{
    private RuleResult(T value, Denial? denial)
    {
        Value = value;
        Denial = denial;
    }

    /// <summary>The rule's value (default when denied).</summary>
    public T Value { get; }

    /// <summary>The refusal, or null.</summary>
    public Denial? Denial { get; }

    public static implicit operator RuleResult<T>(T value) => new(value, null);

    public static implicit operator RuleResult<T>(Denial denial) => new(default!, denial);
}
