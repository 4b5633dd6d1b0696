using System.Text;

namespace Walkthrough.Notebooks;

/// <summary>
/// Collects one cell's outputs in the order they happened. Consecutive writes to the same console stream become one
/// stream output, as in Jupyter; a displayed value in between starts a new one. Safe to write from any thread.
/// </summary>
internal sealed class OutputRecorder
{
    private readonly object gate = new();
    private readonly List<CellOutput> outputs = [];
    private readonly StringBuilder pending = new();
    private string? pendingStream;

    /// <summary>A writer for <c>Console.SetOut</c> / <c>Console.SetError</c>.</summary>
    public TextWriter Stream(string name) => new StreamWriter(this, name);

    public void Add(CellOutput output)
    {
        lock (gate)
        {
            FlushPending();
            outputs.Add(output);
        }
    }

    public IReadOnlyList<CellOutput> Outputs()
    {
        lock (gate)
        {
            FlushPending();
            return outputs.ToList();
        }
    }

    private void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (pendingStream != stream) FlushPending();
            pendingStream = stream;
            pending.Append(text);
        }
    }

    private void FlushPending()
    {
        if (pendingStream is null) return;
        outputs.Add(new StreamOutput(pendingStream, pending.ToString()));
        pending.Clear();
        pendingStream = null;
    }

    private sealed class StreamWriter : TextWriter
    {
        private readonly OutputRecorder recorder;
        private readonly string name;

        public StreamWriter(OutputRecorder recorder, string name)
        {
            this.recorder = recorder;
            this.name = name;
            CoreNewLine = ['\n']; // not Environment.NewLine: saved notebooks are the same on every OS
        }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => recorder.Write(name, value.ToString());

        public override void Write(string? value) => recorder.Write(name, value ?? "");

        public override void Write(char[] buffer, int index, int count) => recorder.Write(name, new string(buffer, index, count));
    }
}
