using System.Text;
using PeerBench.Gguf;
using Walkthrough.Tests.Architectures;
using static TorchSharp.torch;

namespace Walkthrough.Tests.PeerBench;

public sealed class GgufWriterTests
{
    [Fact]
    public void The_file_is_laid_out_as_the_gguf_v3_specification_says_byte_for_byte()
    {
        var writer = new GgufWriter();
        writer.Add("general.architecture", "llama");
        writer.Add("n", 7u);
        writer.Add("s", new[] { 0.5f, -1f });
        writer.AddTensor("t", [2, 3], GgmlType.F32, stream => stream.Write(Floats(0, 1, 2, 3, 4, 5)));
        writer.AddTensor("u", [1], GgmlType.F32, stream => stream.Write(Floats(9)));
        var path = Path.Combine(Path.GetTempPath(), $"gguf-{Guid.NewGuid():N}.gguf");
        try
        {
            writer.Write(path);
            Assert.Equal(Expected(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Written field by field from the specification (ggml docs/gguf.md), not through the writer.
    private static byte[] Expected()
    {
        var bytes = new MemoryStream();
        var w = new BinaryWriter(bytes);
        void Text(string s) { w.Write((ulong)Encoding.UTF8.GetByteCount(s)); w.Write(Encoding.UTF8.GetBytes(s)); }
        w.Write("GGUF"u8.ToArray());        // magic
        w.Write(3u);                        // version
        w.Write(2UL);                       // tensor count
        w.Write(3UL);                       // metadata count
        Text("general.architecture"); w.Write(8u); Text("llama");                        // 8 = string
        Text("n"); w.Write(4u); w.Write(7u);                                             // 4 = uint32
        Text("s"); w.Write(9u); w.Write(6u); w.Write(2UL); w.Write(0.5f); w.Write(-1f);  // 9 = array of 6 = float32
        Text("t"); w.Write(2u); w.Write(3UL); w.Write(2UL); w.Write(0u); w.Write(0UL);   // dims innermost first; type 0 = F32; offset 0
        Text("u"); w.Write(1u); w.Write(1UL); w.Write(0u); w.Write(32UL);                // 24 bytes of t, aligned to 32
        while (bytes.Length % 32 != 0) w.Write((byte)0);
        w.Write(Floats(0, 1, 2, 3, 4, 5));
        w.Write(new byte[8]);
        w.Write(Floats(9));
        return bytes.ToArray();
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Rotate_half_rows_become_neighbouring_pairs_per_head()
    {
        TinyModels.Build(TinyModels.Llama()).Dispose();
        using var scope = NewDisposeScope();
        // Two heads of dimension 4, one column: row i of a head pairs with row i + 2 in the checkpoint.
        var weight = tensor(new float[] { 0, 1, 2, 3, 10, 11, 12, 13 }).view(8, 1);

        var interleaved = LlamaGguf.InterleavedRotary(weight, heads: 2);

        Assert.Equal(new float[] { 0, 2, 1, 3, 10, 12, 11, 13 }, interleaved.view(-1).data<float>().ToArray());
    }
}
