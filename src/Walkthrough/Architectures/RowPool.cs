namespace Walkthrough.Architectures;

/// <summary>
/// Threads that share out the rows of one <see cref="RowDots"/> product when libtorch's thread count is above 1 (at 1,
/// the caller multiplies alone). A decode step runs ~90 such products of 0.1–1 ms each, too short for a thread pool's hand-over: with .NET's
/// Parallel.For, TinyLlama's shape at 2 threads decoded at 0.65× llama.cpp's speed. So the helpers spin for a
/// millisecond after each product before they sleep, and the rows go out in small chunks that whoever is free takes —
/// the calling thread too — so a helper that is late costs one chunk, not half the product. They need the core to
/// themselves between libtorch's operations: with libgomp's threads spinning there too this was still 0.66×, with
/// those asleep (<see cref="Native.OpenMpWaitPolicy"/>) 0.92–1.02× (three runs). One product at a time: a second
/// caller meanwhile multiplies on its own thread.
/// </summary>
internal static unsafe class RowPool
{
    private const long SpinTicks = TimeSpan.TicksPerMillisecond;
    private static readonly object Gate = new();
    private static readonly ManualResetEventSlim Wake = new();
    private static readonly List<Thread> Helpers = [];
    private static Job? _current;
    private static int _sleepers;

    /// <summary>y = W·x (W rows × columns, row-major) on <paramref name="threads"/> threads, this one included.</summary>
    public static void Multiply(float* w, float* x, float* y, int columns, int rows, int threads)
    {
        if (threads < 2) RowDots.Multiply(w, x, y, columns, 0, rows);
        else Run(new Job((nint)w, (nint)x, (nint)y, columns, rows, threads - 1, bfloat16: false));
    }

    /// <summary>The same for bfloat16 W and y (<see cref="Bfloat16RowDots"/>), x widened to float32.</summary>
    public static void Multiply(ushort* w, float* x, ushort* y, int columns, int rows, int threads)
    {
        if (threads < 2) Bfloat16RowDots.Multiply(w, x, y, columns, 0, rows);
        else Run(new Job((nint)w, (nint)x, (nint)y, columns, rows, threads - 1, bfloat16: true));
    }

    private static void Run(Job job)
    {
        if (!Monitor.TryEnter(Gate))
        {
            job.Work(); // every chunk, on this thread
            return;
        }
        try
        {
            while (Helpers.Count < job.Helpers) Start(Helpers.Count);
            Interlocked.Exchange(ref _current, job); // a full fence: the job is visible before _sleepers is read
            if (Volatile.Read(ref _sleepers) > 0) Wake.Set();
            job.Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Done) < job.Chunks) spin.SpinOnce(-1);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void Start(int index)
    {
        var thread = new Thread(() => Help(index)) { IsBackground = true, Name = $"Walkthrough row products {index + 1}" };
        Helpers.Add(thread);
        thread.Start();
    }

    private static void Help(int index)
    {
        Job? seen = null;
        var idleSince = DateTime.UtcNow.Ticks;
        while (true)
        {
            var job = Volatile.Read(ref _current);
            if (job != seen && job is not null)
            {
                seen = job;
                if (index < job.Helpers) job.Work();
                idleSince = DateTime.UtcNow.Ticks;
            }
            else if (DateTime.UtcNow.Ticks - idleSince < SpinTicks)
                Thread.SpinWait(64);
            else
            {
                Interlocked.Increment(ref _sleepers);
                Wake.Reset();
                if (Volatile.Read(ref _current) == seen) Wake.Wait(); // a job published after the reset is seen here
                Interlocked.Decrement(ref _sleepers);
                idleSince = DateTime.UtcNow.Ticks;
            }
        }
    }

    /// <summary>One product: its rows in chunks, taken by ticket. A helper that arrives after the last ticket finds nothing.</summary>
    private sealed class Job(nint w, nint x, nint y, int columns, int rows, int helpers, bool bfloat16)
    {
        private readonly int _chunk = Math.Max(16, rows / ((helpers + 1) * 8));
        private int _next;
        public int Done;

        public int Helpers { get; } = helpers;
        public int Chunks => (rows + _chunk - 1) / _chunk;

        public void Work()
        {
            for (int c; (c = Interlocked.Increment(ref _next) - 1) < Chunks;)
            {
                var first = c * _chunk;
                var count = Math.Min(_chunk, rows - first);
                if (bfloat16) Bfloat16RowDots.Multiply((ushort*)w, (float*)x, (ushort*)y, columns, first, count);
                else RowDots.Multiply((float*)w, (float*)x, (float*)y, columns, first, count);
                Interlocked.Increment(ref Done);
            }
        }
    }
}
