namespace AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;

/// <summary>The kubelet's crash-loop back-off: the base wait, doubled for every earlier restart, capped.</summary>
public static class RestartBackoff
{
    /// <param name="restartCount">How often the container has been restarted before this restart.</param>
    public static TimeSpan Delay(int restartCount, TimeSpan backoffBase, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(restartCount);
        var delay = backoffBase;
        for (var i = 0; i < restartCount && delay < max; i++)
        {
            delay *= 2;
        }

        return delay < max ? delay : max;
    }
}
