using AzureWorkloadIdentity.Webhook.Admission;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>
/// <see cref="AdmissionDeadline"/>: the budget counts from the request's arrival, even when the token is made later,
/// and nothing is made for an admission that never waits.
/// </summary>
public sealed class AdmissionDeadlineTokenTests
{
    private static readonly AdmissionBudget Budget = new(3); // 2 s

    [Fact]
    public void Token_MadeLate_StillEndsTheBudgetAfterTheRequestArrived()
    {
        var time = new FakeTimeProvider();
        using var deadline = AdmissionDeadline.Start(Budget, time, time.GetTimestamp(), new DefaultHttpContext());

        time.Advance(TimeSpan.FromSeconds(1.5));
        var token = deadline.Token;
        time.Advance(TimeSpan.FromSeconds(0.4));
        Assert.False(token.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(token.IsCancellationRequested);
        Assert.True(deadline.HasExpired);
    }

    [Fact]
    public void Token_MadeAfterTheBudgetIsSpent_IsAlreadyCancelled()
    {
        var time = new FakeTimeProvider();
        using var deadline = AdmissionDeadline.Start(Budget, time, time.GetTimestamp(), new DefaultHttpContext());

        time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.HasExpired);
    }

    [Fact]
    public void Token_ApiServerHangsUp_CancelledWithoutTheBudgetExpiring()
    {
        var time = new FakeTimeProvider();
        using var aborted = new CancellationTokenSource();
        using var deadline = AdmissionDeadline.Start(Budget, time, time.GetTimestamp(), new DefaultHttpContext { RequestAborted = aborted.Token });
        var token = deadline.Token;

        aborted.Cancel();

        Assert.True(token.IsCancellationRequested);
        Assert.False(deadline.HasExpired);
    }

    [Fact]
    public void IsArmed_UntilTheTokenIsAskedFor_False()
    {
        var time = new FakeTimeProvider();
        using var deadline = AdmissionDeadline.Start(Budget, time, time.GetTimestamp(), new DefaultHttpContext());

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(deadline.IsArmed);
        Assert.False(deadline.HasExpired);

        _ = deadline.Token;
        Assert.True(deadline.IsArmed);
    }

    [Fact]
    public void None_NeverCancels()
    {
        Assert.False(AdmissionDeadline.None.Token.CanBeCanceled);
        Assert.Null(AdmissionDeadline.None.Budget);
    }
}
