namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// One admission's deadline: <see cref="AdmissionBudget.Total"/> from the request's arrival, or the API server
/// hanging up, whichever comes first. It becomes a <see cref="CancellationToken"/> (a timer and a linked source) only
/// when something has to wait: a body still arriving, a service account the cache does not hold. An admission whose
/// body came with its headers and whose account is cached, nearly every one in steady state, never creates either.
/// </summary>
internal sealed class AdmissionDeadline : IDisposable
{
    private readonly AdmissionBudget? _budget;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly HttpContext? _context;
    private CancellationTokenSource? _expiry;
    private CancellationTokenSource? _linked;

    private AdmissionDeadline(AdmissionBudget? budget, TimeProvider time, long started, HttpContext? context)
    {
        _budget = budget;
        _time = time;
        _started = started;
        _context = context;
    }

    /// <summary>No deadline: the token never fires (reviews called directly, benchmarks).</summary>
    public static AdmissionDeadline None { get; } = new(null, TimeProvider.System, 0, null);

    /// <summary>The deadline of the request <paramref name="context"/>, counted from <paramref name="started"/> (a timestamp of <paramref name="time"/>).</summary>
    public static AdmissionDeadline Start(AdmissionBudget budget, TimeProvider time, long started, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(context);
        return new(budget, time, started, context);
    }

    /// <summary>The budget, for messages; null for <see cref="None"/>.</summary>
    public AdmissionBudget? Budget => _budget;

    /// <summary>Cancelled when the budget is spent or the API server hangs up; created on first use.</summary>
    public CancellationToken Token
    {
        get
        {
            if (_budget is null)
            {
                return CancellationToken.None;
            }

            if (_linked is null)
            {
                var remaining = _budget.Total - _time.GetElapsedTime(_started);
                _expiry = remaining > TimeSpan.Zero ? new CancellationTokenSource(remaining, _time) : CancelledSource();
                _linked = CancellationTokenSource.CreateLinkedTokenSource(_context!.RequestAborted, _expiry.Token);
            }

            return _linked.Token;
        }
    }

    /// <summary>True once the token was made, i.e. something had to wait (tests and diagnostics).</summary>
    public bool IsArmed => _linked is not null;

    /// <summary>True once the budget (not the API server hanging up) ended the wait.</summary>
    public bool HasExpired => _expiry?.IsCancellationRequested == true;

    public void Dispose()
    {
        _linked?.Dispose();
        _expiry?.Dispose();
    }

    private static CancellationTokenSource CancelledSource()
    {
        var source = new CancellationTokenSource();
        source.Cancel();
        return source;
    }
}
