using System.IO.Compression;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Walkthrough.Tokens;

/// <summary>
/// OpenAI's tiktoken encodings (o200k_base for GPT-4o, cl100k_base for GPT-4), from the data that
/// Microsoft.ML.Tokenizers ships on NuGet: byte-level BPE with no BOS, so nothing is added around a text.
/// Text that looks like a special token ("&lt;|endoftext|&gt;") is encoded as ordinary text, as tiktoken's
/// encode_ordinary and OpenAI's APIs treat what a user types.
/// </summary>
internal sealed class TiktokenEncoding : TokenizerEngine
{
    public static readonly IReadOnlyList<string> Names = ["o200k_base", "cl100k_base"];

    private readonly TiktokenTokenizer _tiktoken;
    private readonly Dictionary<int, string> _special;
    private readonly byte[][] _bytes;

    public TiktokenEncoding(string name)
    {
        var standard = TiktokenTokenizer.CreateForEncoding(name);
        _special = standard.SpecialTokens?.ToDictionary(p => p.Value, p => p.Key) ?? [];
        using (var ranks = OpenRanks(name))
            _tiktoken = TiktokenTokenizer.Create(ranks, standard.PreTokenizer, standard.Normalizer, specialTokens: null);
        using (var ranks = OpenRanks(name))
            _bytes = ReadRanks(ranks);
        VocabularySize = Math.Max(_bytes.Length, _special.Count == 0 ? 0 : _special.Keys.Max() + 1);
    }

    public override int VocabularySize { get; }

    public override int? BosId => null;

    public override int? EosId => IdOf("<|endoftext|>");

    public override IReadOnlyList<EncodedPiece> Encode(string text, bool addSpecialTokens) =>
        _tiktoken.EncodeToTokens(text, out _)
            .Select(t => new EncodedPiece(t.Id, t.Offset.Start.Value, t.Offset.End.Value))
            .ToList();

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (_special.TryGetValue(id, out var special))
            {
                if (!skipSpecialTokens) bytes.AddRange(Encoding.UTF8.GetBytes(special));
                continue;
            }
            bytes.AddRange(BytesOf(id) ?? []);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public override byte[]? BytesOf(int id) => _special.ContainsKey(id) ? null : id < _bytes.Length ? _bytes[id] : [];

    public override string PieceOf(int id) => _special.TryGetValue(id, out var special) ? special : Encoding.UTF8.GetString(BytesOf(id)!);

    public override bool IsSpecial(int id) => _special.ContainsKey(id);

    public override int? IdOf(string piece)
    {
        foreach (var (id, text) in _special) if (text == piece) return id;
        var ids = _tiktoken.EncodeToIds(piece);
        return ids.Count == 1 ? ids[0] : null;
    }

    private static Stream OpenRanks(string name)
    {
        var assembly = System.Reflection.Assembly.Load(name == "o200k_base"
            ? "Microsoft.ML.Tokenizers.Data.O200kBase" : "Microsoft.ML.Tokenizers.Data.Cl100kBase");
        var resource = assembly.GetManifestResourceStream($"{name}.tiktoken.deflate")
            ?? throw new WalkthroughException($"The {name} data is missing from its NuGet package; restore Microsoft.ML.Tokenizers.Data for it.");
        return new DeflateStream(resource, CompressionMode.Decompress);
    }

    // Each token's bytes, from the same data the tokenizer is built from: a "Capacity: N" line, then one base64
    // token a line in rank order (or "<base64> <rank>" lines). The tokenizer itself does not expose them.
    private static byte[][] ReadRanks(Stream data)
    {
        using var reader = new StreamReader(data);
        var ranks = new List<byte[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ');
            var rank = space > 0 ? int.Parse(line.AsSpan(space + 1)) : ranks.Count;
            while (ranks.Count <= rank) ranks.Add([]);
            ranks[rank] = Convert.FromBase64String(space > 0 ? line[..space] : line);
        }
        return ranks.ToArray();
    }
}
