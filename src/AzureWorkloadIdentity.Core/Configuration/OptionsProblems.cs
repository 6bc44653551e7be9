using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>Runs <see cref="IValidateOptions{TOptions}"/> validators and gathers their failures for one start-up report.</summary>
public static class OptionsProblems
{
    public static void Validate<TOptions>(this List<string> problems, IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(validator);
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            problems.AddRange(result.Failures ?? [result.FailureMessage]);
        }
    }

    /// <summary>
    /// Runs one binding (a call of the configuration binder, which is source-generated at the call site) and reports
    /// a value it cannot convert; the settings of <see cref="SettingTable"/> are checked before, this catches the rest.
    /// False when the binding stopped half-way: validating those options would only report the values it did not reach.
    /// </summary>
    public static bool Bind(this List<string> problems, Action bind)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(bind);
        try
        {
            bind();
            return true;
        }
        catch (InvalidOperationException exception)
        {
            problems.Add(exception.Message);
            return false;
        }
    }

    /// <summary>
    /// The failures inside an exception the host threw while starting (<c>ValidateOnStart</c> throws one
    /// <see cref="OptionsValidationException"/> or an <see cref="AggregateException"/> of them), or null when it is
    /// something else.
    /// </summary>
    public static IReadOnlyList<string>? From(Exception exception)
    {
        var inner = exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [exception];
        return inner.Count > 0 && inner.All(e => e is OptionsValidationException)
            ? [.. inner.Cast<OptionsValidationException>().SelectMany(e => e.Failures)]
            : null;
    }
}
