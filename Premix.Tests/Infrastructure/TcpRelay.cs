using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback between the driver and a database server, which can lose one answer on purpose: once armed
/// with a pattern, the first client packet matching it (say <c>\bCOMMIT\b</c>) reaches the server, the server's answer to it
/// is swallowed, and the client's connection is cut. The server did the work; the client never hears so. It can also
/// keep what clients send (<see cref="Recording"/>), to show what went over the wire, cut new connections off
/// (<see cref="Refusing"/>), as a server that is down does, hold one packet or its answer until the server goes away
/// (<see cref="Hold"/>), and play a hung server that takes connections but never answers (<see cref="Silent"/>), or a
/// MySQL-protocol proxy that announces a version of its own (<see cref="AnnouncedVersion"/>). As a virtual address, it can
/// move to another server (<see cref="MoveTo"/>), and lose its owner without a word in between (<see cref="Vacate"/>).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private volatile Destination _destination;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private volatile Regex? _marker;
    private volatile Regex? _holdMarker;
    private volatile bool _holdAnswer;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _sent = new();
    private readonly ConcurrentQueue<StringBuilder> _turns = new();
    private StringBuilder? _turn;
    private volatile bool _serverAnswered = true;
    private int _answersLost;
    private readonly HashSet<TaskCompletionSource> _live = []; // each relayed connection's cut-off signal, set by Vacate; the lock of the vacancy too
    private TaskCompletionSource? _vacancy; // while vacant: completed by MoveTo

    public TcpRelay(string host, int port)
    {
        _destination = new Destination(host, port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>
    /// Sends the connections accepted from now on to <paramref name="host"/>:<paramref name="port"/>, as a virtual address moved by a failover would.
    /// After <see cref="Vacate"/>, it also ends the vacancy: the connections it cut off are reset (as the address's new owner
    /// answers their next packet), and the connections it kept waiting reach the new destination.
    /// </summary>
    public void MoveTo(string host, int port)
    {
        TaskCompletionSource? vacancy;
        lock (_live)
        {
            _destination = new Destination(host, port);
            vacancy = _vacancy;
            _vacancy = null;
        }

        vacancy?.TrySetResult();
    }

    /// <summary>
    /// The address loses its owner without a word, as a virtual address does when the machine holding it dies or is cut
    /// off: nothing passes either way on the connections relayed so far (they are not closed, even when their server's
    /// side is), and new connections are taken and left waiting, unanswered; until <see cref="MoveTo"/> gives the address
    /// a new owner. A client only notices by its own timeouts meanwhile.
    /// </summary>
    public void Vacate()
    {
        lock (_live)
        {
            _vacancy ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var cut in _live)
            {
                cut.TrySetResult();
            }
        }
    }

    /// <summary>Where the relay sends new connections: the server's host and port, or those <see cref="MoveTo"/> gave.</summary>
    public (string Host, int Port) Target => (_destination.Host, _destination.Port);

    /// <summary>The port the relay listens on (on 127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many answers the relay swallowed.</summary>
    public int AnswersLost => _answersLost;

    /// <summary>
    /// Whether the server's answers are dropped, on every connection, open or new, while the connections stay up: a server
    /// that accepts and then never answers (hung, or stopped with SIGSTOP), which the client only notices by its timeouts.
    /// A server that is gone meanwhile stays silent too, as a machine that vanished from the network does (no reset, no
    /// close): its open connections are held open, and new ones are accepted and never answered.
    /// </summary>
    public bool Silent { get; set; }

    /// <summary>
    /// The server version new connections are told in the MySQL protocol's greeting, in place of the server's (as ProxySQL
    /// announces its own <c>mysql-server_version</c>, 8.0.x, in front of MariaDB); the server's own when <see langword="null"/>.
    /// </summary>
    public string? AnnouncedVersion { get; set; }

    /// <summary>Whether the ASCII text of every client packet is kept in <see cref="Sent"/>.</summary>
    public bool Recording { get; set; }

    /// <summary>The client packets, in the order they arrived, while <see cref="Recording"/>.</summary>
    public IReadOnlyCollection<string> Sent => _sent;

    /// <summary>
    /// What the client sent while <see cref="Recording"/>, one entry per round trip: the text it sent before the server's
    /// next answer (for one connection through the relay at a time).
    /// </summary>
    public IReadOnlyList<string> Turns => [.. _turns.Select(t => t.ToString())];

    /// <summary>
    /// Whether new connections are cut off as soon as they are accepted (with a reset, before the server's greeting), as a
    /// server that is down or restarting looks to a driver; connections relayed already go on.
    /// </summary>
    public bool Refusing { get; set; }

    /// <summary>Loses the answer to the next client packet whose ASCII text matches <paramref name="pattern"/> (any case).</summary>
    public void LoseAnswerTo(string pattern) => _marker = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// Holds the next client packet whose ASCII text matches <paramref name="pattern"/> (any case): with
    /// <paramref name="answer"/>, it reaches the server and the server's answer is kept back; without, the packet itself
    /// is kept back. Either way the client waits on an open connection, which ends when the server's side does (the
    /// server killed): the client never learns what became of it. <see cref="Held"/> completes once something is held.
    /// </summary>
    public void Hold(string pattern, bool answer)
    {
        _holdAnswer = answer;
        _holdMarker = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>Completes once <see cref="Hold"/> held a packet (with its answer asked for, once that answer came).</summary>
    public Task Held => _held.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll(_pumps.Append(_accepting).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Refusing)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            lock (_pumps)
            {
                _pumps.Add(ConnectAsync(client));
            }
        }
    }

    // Connects an accepted client to the destination (once a vacancy ended) and relays it.
    private async Task ConnectAsync(TcpClient client)
    {
        TaskCompletionSource? vacancy;
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            lock (_live)
            {
                vacancy = _vacancy;
                if (vacancy is null)
                {
                    _live.Add(cut);
                    break;
                }
            }

            try
            {
                await vacancy.Task.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                client.Dispose();
                return;
            }
        }

        var server = new TcpClient();
        var destination = _destination;
        try
        {
            await server.ConnectAsync(destination.Host, destination.Port, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // The server is down: the client is refused as it would be without the relay (or, silent, never hears
            // anything), and the relay goes on.
            Forget(cut);
            server.Dispose();
            if (Silent)
            {
                await HoldAsync(client);
                return;
            }

            client.Client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            return;
        }

        await RelayAsync(client, server, cut);
        Forget(cut);
    }

    // Keeps a client's connection open, reading what it sends and answering nothing, until it closes or the relay stops.
    private async Task HoldAsync(TcpClient client)
    {
        using (client)
        {
            var buffer = new byte[4096];
            try
            {
                while (await client.GetStream().ReadAsync(buffer, _stop.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client or the relay ended it.
            }
        }
    }

    private void Forget(TaskCompletionSource cut)
    {
        lock (_live)
        {
            _live.Remove(cut);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server, TaskCompletionSource cut)
    {
        using (client)
        using (server)
        {
            // Set when a marked packet went to the server: its answer is the next thing the server sends.
            var answerToLose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var holdingRequests = false;
            var holdingAnswers = false;
            var serverGone = false;
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), null, chunk =>
            {
                if (serverGone)
                {
                    return Chunk.Drop;
                }

                if (Recording)
                {
                    _sent.Enqueue(Encoding.ASCII.GetString(chunk.Span));
                    if (_serverAnswered || _turn is null)
                    {
                        _turn = new StringBuilder();
                        _turns.Enqueue(_turn);
                        _serverAnswered = false;
                    }

                    _turn.Append(Encoding.ASCII.GetString(chunk.Span));
                }

                if (_marker is { } marker && marker.IsMatch(Encoding.ASCII.GetString(chunk.Span)))
                {
                    _marker = null;
                    answerToLose.TrySetResult();
                }

                if (!holdingRequests && _holdMarker is { } hold && hold.IsMatch(Encoding.ASCII.GetString(chunk.Span)))
                {
                    _holdMarker = null;
                    holdingAnswers = _holdAnswer;
                    holdingRequests = !_holdAnswer;
                    if (holdingRequests)
                    {
                        _held.TrySetResult();
                    }
                }

                return holdingRequests || cut.Task.IsCompleted ? Chunk.Drop : Chunk.Pass;
            });
            var greeting = AnnouncedVersion is { } version ? (Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>)(chunk => Greeting(chunk, version)) : null;
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), greeting, _ =>
            {
                if (Silent || cut.Task.IsCompleted)
                {
                    return Chunk.Drop;
                }

                _serverAnswered = true;
                if (holdingAnswers)
                {
                    _held.TrySetResult();
                    return Chunk.Drop;
                }

                if (!answerToLose.Task.IsCompleted)
                {
                    return Chunk.Pass;
                }

                Interlocked.Increment(ref _answersLost);
                client.Client.LingerState = new LingerOption(true, 0); // cut the client off with a reset
                client.Close();
                return Chunk.End;
            });
            if (await Task.WhenAny(toServer, toClient, cut.Task) == toClient && Silent && !cut.Task.IsCompleted)
            {
                // The server went away while silent: the client hears no close either, and what it sends goes nowhere
                // (until it gives up, or a vacancy cuts it off below).
                serverGone = true;
                await Task.WhenAny(toServer, cut.Task);
            }

            if (cut.Task.IsCompleted)
            {
                // Cut off by a vacancy: the client hears nothing until the address has a new owner, which resets the
                // connection, unknown to it, at the client's next packet (or the client gives up first).
                TaskCompletionSource? vacancy;
                lock (_live)
                {
                    vacancy = _vacancy;
                }

                await Task.WhenAny(toServer, vacancy?.Task ?? Task.CompletedTask, Task.Delay(Timeout.Infinite, _stop.Token));
                client.Client.LingerState = new LingerOption(true, 0);
            }
        }
    }

    // What becomes of a chunk on its way.
    private enum Chunk
    {
        Pass,
        Drop,
        End,
    }

    // The MySQL greeting (its first packet: 3-byte length, sequence, protocol 10, then the NUL-terminated version) with
    // another version. The greeting is small and the server's first write: it arrives in the first chunk on loopback.
    private static ReadOnlyMemory<byte> Greeting(ReadOnlyMemory<byte> chunk, string version)
    {
        var packet = chunk.Span;
        var end = packet[5..].IndexOf((byte)0) + 5;
        var length = packet[0] | (packet[1] << 8) | (packet[2] << 16);
        var rest = packet[end..(4 + length)];
        var text = Encoding.ASCII.GetBytes(version);
        var payload = 1 + text.Length + rest.Length;
        byte[] rewritten = [(byte)payload, (byte)(payload >> 8), (byte)(payload >> 16), packet[3], packet[4], .. text, .. rest, .. packet[(4 + length)..]];
        return rewritten;
    }

    // Copies chunks from one side to the other as forward says, the first one through first when given; ends when either
    // side closes or forward says End.
    private async Task PumpAsync(NetworkStream from, NetworkStream to, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? first, Func<ReadOnlyMemory<byte>, Chunk> forward)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                var chunk = read == 0 ? Chunk.End : forward(buffer.AsMemory(0, read));
                if (chunk == Chunk.End)
                {
                    return;
                }

                if (chunk == Chunk.Pass)
                {
                    var data = buffer.AsMemory(0, read);
                    await to.WriteAsync(first is null ? data : first(data), _stop.Token);
                    first = null;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away: the relay of this connection ends.
        }
    }

    private sealed record Destination(string Host, int Port);
}
