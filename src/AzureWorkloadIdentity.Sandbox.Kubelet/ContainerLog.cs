using System.Runtime.CompilerServices;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// What one instance of a container wrote, line by line with the time each line arrived, as the kubelet keeps a
/// container's log file: read whole, from a time, its last lines, or followed until the instance ends.
/// </summary>
public sealed class ContainerLog
{
    private readonly List<ContainerLogLine> _lines = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    /// <summary>The lines so far, without their times.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines.Select(l => l.Text)];
            }
        }
    }

    /// <summary>True once the instance has ended and nothing more will be written.</summary>
    public bool HasEnded
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    public void Append(string text)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _lines.Add(new ContainerLogLine(DateTimeOffset.UtcNow, text));
            changed = Renew();
        }

        changed.TrySetResult();
    }

    /// <summary>The instance has ended: followers stop after the last line.</summary>
    public void End()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _ended = true;
            changed = Renew();
        }

        changed.TrySetResult();
    }

    /// <summary>The lines <paramref name="query"/> selects; when it follows, also those written later, until the end.</summary>
    public async IAsyncEnumerable<ContainerLogLine> ReadAsync(ContainerLogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<ContainerLogLine> first;
        int next;
        lock (_gate)
        {
            first = [.. _lines];
            next = first.Count;
        }

        var selected = first.Where(l => query.Since is not { } since || l.Time >= since).ToList();
        var skip = query.TailLines is { } tail ? Math.Max(0, selected.Count - (int)Math.Min(tail, int.MaxValue)) : 0;
        foreach (var line in selected.Skip(skip))
        {
            yield return line;
        }

        while (query.Follow)
        {
            List<ContainerLogLine> more;
            Task changed;
            lock (_gate)
            {
                more = _lines.Count > next ? _lines.GetRange(next, _lines.Count - next) : [];
                next = _lines.Count;
                if (more.Count == 0 && _ended)
                {
                    yield break;
                }

                changed = _changed.Task;
            }

            foreach (var line in more)
            {
                yield return line;
            }

            if (more.Count == 0)
            {
                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    private TaskCompletionSource Renew()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }
}
