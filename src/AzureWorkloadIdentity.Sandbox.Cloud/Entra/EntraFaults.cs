using System.Globalization;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>How the token endpoint misbehaves, to test clients against an Entra ID outage.</summary>
public enum EntraFaultKind
{
    /// <summary>Answers normally.</summary>
    None,

    /// <summary>Drops the connection without an answer, as an unreachable or resetting endpoint does.</summary>
    Unreachable,

    /// <summary>Answers only after <see cref="EntraFaults.Delay"/> (or never, when the client gives up first).</summary>
    Slow,

    /// <summary>Answers 503 Service Unavailable with an Entra-shaped body.</summary>
    ServerError,

    /// <summary>Answers 429 Too Many Requests with <c>Retry-After: </c><see cref="EntraFaults.RetryAfter"/>.</summary>
    Throttled,
}

/// <summary>
/// A switch on the sandbox's token endpoint (<c>SandboxHost.EntraFaults</c>): tests turn a fault on,
/// watch the client cope, and turn it off again to see it recover without a restart. Counts the token requests that
/// reached the endpoint, faulty or not.
/// </summary>
public sealed class EntraFaults
{
    private volatile EntraFaultKind _kind;
    private long _requests;

    public EntraFaultKind Kind
    {
        get => _kind;
        set => _kind = value;
    }

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Token requests received so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Applies the fault; returns the answer to send instead of a normal one, or null to go on.</summary>
    internal async Task<IResult?> ApplyAsync(HttpContext context, TimeProvider time)
    {
        Interlocked.Increment(ref _requests);
        switch (Kind)
        {
            case EntraFaultKind.Unreachable:
                context.Abort();
                return Results.Empty;
            case EntraFaultKind.Slow:
                await Task.Delay(Delay, time, context.RequestAborted);
                return null;
            case EntraFaultKind.ServerError:
                return new EntraError(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", 90033,
                    "A transient error has occurred. Please try again.").ToResult(time, null);
            case EntraFaultKind.Throttled:
                context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return new EntraError(StatusCodes.Status429TooManyRequests, "temporarily_unavailable", 50196,
                    "The server terminated an operation because it encountered a client request loop.").ToResult(time, null);
            default:
                return null;
        }
    }
}
