using System.Text.Json;

namespace PeerBench.Peers;

/// <summary>The loop a peer process runs: announce, then answer requests on stdin until "quit" or end of input.</summary>
internal static class PeerWorker
{
    public static int Run(string name, Func<IPeer> load)
    {
        var output = Console.Out;
        Console.SetOut(Console.Error); // libraries' chatter must not mix with the protocol
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var peer = load();
        Send(output, new PeerReady(name, peer.Detail, clock.Elapsed.TotalSeconds));
        while (Console.In.ReadLine() is { } line)
        {
            var request = JsonSerializer.Deserialize<PeerRequest>(line, PeerJson.Options)!;
            if (request.Op == "quit") break;
            try
            {
                peer.SetThreads(request.Threads);
                float[] logits = [];
                var measured = Measured.Of(() => logits = request.Op switch
                {
                    "prefill" => peer.Prefill(request.Ids, request.Mode),
                    "decode" => peer.Decode(request.Ids, request.Mode),
                    _ => throw new InvalidOperationException($"unknown request {request.Op}"),
                });
                Send(output, PeerAnswer.From(measured, logits) with { ForwardWallSeconds = peer.ForwardSeconds });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Send(output, new PeerAnswer { Error = $"{e.GetType().Name}: {e.Message}" });
            }
        }
        return 0;
    }

    private static void Send<T>(TextWriter output, T message)
    {
        output.WriteLine(JsonSerializer.Serialize(message, PeerJson.Options));
        output.Flush();
    }
}
