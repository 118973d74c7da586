using System.Diagnostics.Tracing;

/// <summary>
/// Loaded by the runtime before <c>Main</c> (<c>DOTNET_STARTUP_HOOKS=/path/StartCounter.dll</c>): listens to the runtime's
/// event source in-process and, at exit, writes to <c>START_COUNTS_OUT</c> (else stderr) a first line
/// <c>typeloads N r2rentries N assemblies N</c>, then one <c>T name</c> line per type loaded, in load order. With
/// <c>START_COUNTS_TIMES=1</c> (build/start-phases.sh) each <c>T</c> line ends with a tab and the event's time (microseconds
/// since 1970, as Premix's start marks), followed by one <c>R time</c> line per ReadyToRun entry and one <c>J time</c> line
/// per method the JIT started compiling (<c>MethodJittingStarted</c>, keyword Jit 0x10: every tier, rejits included); with
/// <c>START_COUNTS_NAMES=1</c> as well, <c>R</c> and <c>J</c> lines end with the method (<c>Type::Method signature</c>).
/// </summary>
/// <remarks>
/// Types loaded: <c>TypeLoadStop</c> events (keyword TypeDiagnostic, 0x8000000000), one per type the runtime builds, nested
/// loads included. ReadyToRun entries: <c>R2RGetEntryPoint</c> (keyword CompilationDiagnostic, 0x2000000000), one per
/// method whose precompiled code the runtime looks up. The few types loaded before the listener exists are not counted
/// (the same for every program); background threads make runs vary by a few percent.
/// </remarks>
internal static class StartupHook
{
    private static Counter? counter;

    public static void Initialize()
    {
        counter = new Counter();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => counter.Write();
    }

    private sealed class Counter : EventListener
    {
        private const long TypeDiagnostic = 0x8000000000;
        private const long CompilationDiagnostic = 0x2000000000;
        private const long Jit = 0x10;

        private static readonly bool Times = Environment.GetEnvironmentVariable("START_COUNTS_TIMES") == "1";
        private static readonly bool Names = Environment.GetEnvironmentVariable("START_COUNTS_NAMES") == "1";
        private readonly List<string> _types = [];
        private readonly List<(char Kind, long Time, string? Name)> _events = [];
        private int _r2rEntries;

        public void Write()
        {
            var path = Environment.GetEnvironmentVariable("START_COUNTS_OUT");
            using var writer = string.IsNullOrEmpty(path) ? new StreamWriter(Console.OpenStandardError()) : new StreamWriter(path);
            lock (_types)
            {
                writer.WriteLine($"typeloads {_types.Count} r2rentries {Volatile.Read(ref _r2rEntries)} assemblies {AppDomain.CurrentDomain.GetAssemblies().Length}");
                foreach (var type in _types)
                {
                    writer.WriteLine("T " + type);
                }

                foreach (var (kind, time, name) in _events)
                {
                    writer.WriteLine(name is null ? $"{kind} {time}" : $"{kind} {time} {name}");
                }
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)(TypeDiagnostic | CompilationDiagnostic | (Times ? Jit : 0)));
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            switch (eventData.EventName)
            {
                case "TypeLoadStop":
                    var index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
                    var name = index >= 0 ? eventData.Payload?[index] as string : null;
                    lock (_types)
                    {
                        _types.Add(Times ? $"{name ?? "?"}\t{Micros(eventData)}" : name ?? "?");
                    }

                    break;
                case "R2RGetEntryPoint":
                    Interlocked.Increment(ref _r2rEntries);
                    Add('R', eventData);
                    break;
                case { } jitting when jitting.StartsWith("MethodJittingStarted", StringComparison.Ordinal): // _V1 through EventPipe
                    Add('J', eventData);
                    break;
            }
        }

        private static long Micros(EventWrittenEventArgs eventData) => (eventData.TimeStamp.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10;

        private static string MethodName(EventWrittenEventArgs eventData)
        {
            string? Payload(string name)
            {
                var index = eventData.PayloadNames?.IndexOf(name) ?? -1;
                return index >= 0 ? eventData.Payload?[index]?.ToString() : null;
            }

            return $"{Payload("MethodNamespace")}::{Payload("MethodName")} {Payload("MethodSignature")}";
        }

        private void Add(char kind, EventWrittenEventArgs eventData)
        {
            if (Times)
            {
                lock (_types)
                {
                    _events.Add((kind, Micros(eventData), Names ? MethodName(eventData) : null));
                }
            }
        }
    }
}
