using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Checks <see cref="ServiceAccountCacheOptions"/> at start and reports every problem at once.</summary>
internal sealed class ServiceAccountCacheOptionsValidator : IValidateOptions<ServiceAccountCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceAccountCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        CheckRange(problems, nameof(options.LookupTimeout), options.LookupTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30),
            "keep it well under the API server's webhook timeout (10 s by default)");
        CheckRange(problems, nameof(options.InitialBackoff), options.InitialBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), null);
        CheckRange(problems, nameof(options.MaxBackoff), options.MaxBackoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), null);
        if (options.MaxBackoff < options.InitialBackoff)
        {
            problems.Add($"{ServiceAccountCacheOptions.SectionName}__{nameof(options.MaxBackoff)} ({options.MaxBackoff}) is shorter than {nameof(options.InitialBackoff)} ({options.InitialBackoff}); set it to at least that");
        }

        CheckRange(problems, nameof(options.WatchTimeout), options.WatchTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), null);
        if (options.ListPageSize is < 1 or > 10_000)
        {
            problems.Add($"{ServiceAccountCacheOptions.SectionName}__{nameof(options.ListPageSize)} is {options.ListPageSize}; it must be between 1 and 10000 (500 is the usual page)");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckRange(List<string> problems, string setting, TimeSpan value, TimeSpan min, TimeSpan max, string? hint)
    {
        if (value < min || value > max)
        {
            problems.Add($"{ServiceAccountCacheOptions.SectionName}__{setting} is {value}; it must be between {min} and {max}{(hint is null ? "" : "; " + hint)}");
        }
    }
}
