using System.Diagnostics.Tracing;
using System.Globalization;

namespace Premix.Benchmarks.Configuration;

/// <summary>
/// Which types a stretch of calls allocates, sampled from the runtime's <c>GCAllocationTick</c> events (one event about every
/// 100 KB a thread allocates, naming the type of the object that crossed the mark, with the bytes since the last one):
/// summed per type over many calls, the shares are the allocation profile <c>dotnet-trace</c>'s gc-verbose gives, in process.
/// </summary>
/// <remarks>
/// Sampled, not exact: a type's bytes a call are its share of the events times the call's exact bytes
/// (<see cref="BytesProbe"/>); types far under 1 % of the bytes may not show at all. Every thread's allocations count, as in
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>. Its own dispatch allocates too (an <see cref="EventWrittenEventArgs"/> and
/// boxed payload values per event, on the runtime's dispatch thread), inside the probe's window: bytes taken while it
/// listens are not exact. Events arrive late, through that thread: the probe waits before <see cref="Stop"/>.
/// </remarks>
internal sealed class AllocationSites : EventListener
{
    private const int AllocationTickEventId = 10;
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private volatile bool _counting;

    /// <summary>Starts counting (after the warm-up).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _bytes.Clear();
        }

        _counting = true;
    }

    /// <summary>Stops counting and returns the sampled bytes by type, largest first.</summary>
    public List<(string Type, long Bytes)> Stop()
    {
        _counting = false;
        lock (_gate)
        {
            return [.. _bytes.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value)];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword; AllocationTick is verbose
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_counting || eventData.EventId != AllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0
            ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture)
            : Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount")], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }
}
