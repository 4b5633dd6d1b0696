using System.Text;
using Walkthrough.Hub;
using Walkthrough.Tokens.HuggingFace;

namespace Walkthrough.Tokens;

/// <summary>
/// Turns text into tokens and back, exactly as the model's own tokenizer does.
/// <code>var tokenizer = Tokenizer.Load("data/tokenizers/mistral-7b");
/// var table = tokenizer.Tokenize("Can you write an email explaining what an LLM is?");</code>
/// </summary>
public sealed class Tokenizer
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly TokenizerEngine _engine;

    // How each id reads is asked for again and again (every "▁the" in a long text); work it out once.
    private readonly Tuple<string, TokenKind>?[] _described;
    private readonly Lazy<Dictionary<string, int>> _byText;

    private Tokenizer(string name, string source, TokenizerEngine engine)
    {
        Name = name;
        Source = source;
        _engine = engine;
        _described = new Tuple<string, TokenKind>?[engine.VocabularySize];
        _byText = new(() =>
        {
            var byText = new Dictionary<string, int>();
            for (var id = 0; id < engine.VocabularySize; id++)
                if (!engine.IsSpecial(id) && engine.BytesOf(id) is { Length: > 0 } bytes) byText.TryAdd(Latin1(bytes), id);
            return byText;
        });
    }

    /// <summary>A short name: the model folder's name or the tiktoken encoding's.</summary>
    public string Name { get; }

    /// <summary>The file the vocabulary came from, or the NuGet data package for tiktoken encodings.</summary>
    public string Source { get; }

    public int VocabularySize => _engine.VocabularySize;

    public int? BosId => _engine.BosId;

    public int? EosId => _engine.EosId;

    /// <summary>The kit's default: Mistral-7B's tokenizer from the data folder.</summary>
    public static Tokenizer Default() => Load(KitData.DefaultTokenizer);

    /// <summary>
    /// Loads a tokenizer from a model folder (tokenizer.json, else tokenizer.model; tokenizer_config.json beside it says
    /// which tokens are BOS and EOS), from one of those files, by tiktoken encoding name (o200k_base, cl100k_base), or
    /// from a hub id such as mistralai/Mistral-7B-v0.1 (downloading only the tokenizer's files).
    /// </summary>
    public static Tokenizer Load(string source, HubSettings? hub = null)
    {
        if (string.IsNullOrWhiteSpace(source))
            throw new WalkthroughException(
                $"No tokenizer given{(source is null ? "" : $" (\"{source}\")")}: give a model folder (with tokenizer.json or tokenizer.model), one of those files, " +
                $"a Hugging Face model id (org/name), or a tiktoken encoding ({string.Join(", ", TiktokenEncoding.Names)}).");
        if (TiktokenEncoding.Names.Contains(source)) return new Tokenizer(source, $"Microsoft.ML.Tokenizers.Data ({source})", new TiktokenEncoding(source));
        return HubSnapshot.IfHubId(source, HubFiles.Tokenizer, hub) is { } snapshot ? FromFiles(snapshot.Folder, snapshot.Repo.Name) : FromFiles(source);
    }

    /// <summary>A tokenizer from a local folder or file; <paramref name="name"/> replaces the folder's name (a hub snapshot's is a commit hash).</summary>
    internal static Tokenizer FromFiles(string source, string? name = null)
    {
        var (folder, file) = Resolve(source);
        var config = TokenizerConfig.Read(Path.Combine(folder, "tokenizer_config.json"));
        TokenizerEngine engine = Path.GetFileName(file) == "tokenizer.json" || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? new HuggingFaceTokenizer(file, config)
            : new SentencePieceModel(file, config);
        return new Tokenizer(name ?? new DirectoryInfo(folder).Name, file, engine);
    }

    /// <summary>
    /// The token table of a text: index, id, how each token reads, and the characters it covers.
    /// An empty text gives an empty table: there is nothing to begin, so no &lt;s&gt; either.
    /// </summary>
    public TokenTable Tokenize(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = text.Length == 0 ? [] : _engine.Encode(text, addSpecialTokens);
        var tokens = pieces.Select((p, i) =>
        {
            var (display, kind) = Describe(p.Id);
            return new Token(i, p.Id, display, p.Start, p.End, kind);
        }).ToList();
        return new TokenTable(text, Name, tokens);
    }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _engine.Encode(text, addSpecialTokens).Select(p => p.Id).ToList();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) => _engine.Decode(ids, skipSpecialTokens);

    /// <summary>The raw bytes a token stands for (empty for special tokens) — what streaming decoders join up.</summary>
    public byte[] BytesOf(int id) => _engine.BytesOf(CheckId(id)) ?? [];

    /// <summary>The vocabulary's own spelling of a token, e.g. "▁Can", "Ġthe", "&lt;0x0A&gt;".</summary>
    public string PieceOf(int id) => _engine.PieceOf(CheckId(id));

    public bool IsSpecial(int id) => _engine.IsSpecial(CheckId(id));

    /// <summary>The id of a piece spelled as the vocabulary spells it ("▁Friday", "ĠFriday"), or null.</summary>
    public int? IdOf(string piece) => _engine.IdOf(piece);

    /// <summary>The id of the one token that stands for exactly this text (" Friday"), or null if no single token does.</summary>
    public int? IdOfText(string text)
    {
        var byText = _byText.Value;
        return byText.TryGetValue(Latin1(Encoding.UTF8.GetBytes(text)), out var id) ? id : null;
    }

    // Token bytes as a string, one char per byte, so partial UTF-8 sequences can be dictionary keys too.
    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>How a learner should see a token: ▁ for a space, \n for a newline, &lt;0xF0&gt; for a byte that is not a character alone.</summary>
    public (string Text, TokenKind Kind) Describe(int id)
    {
        var described = _described[CheckId(id)] ??= DescribeOnce(id).ToTuple();
        return (described.Item1, described.Item2);
    }

    private (string Text, TokenKind Kind) DescribeOnce(int id)
    {
        if (_engine.IsSpecial(id)) return (_engine.PieceOf(id), TokenKind.Special);
        var piece = _engine.PieceOf(id);
        // A byte below 0x80 is a whole character (<0x0A> is a newline); higher ones are parts of one.
        if (Decoding.TryParseByte(piece, out var single)) return (single < 0x80 ? Visible(((char)single).ToString()) : piece, TokenKind.Byte);
        var bytes = _engine.BytesOf(id) ?? [];
        try
        {
            return (Visible(StrictUtf8.GetString(bytes)), TokenKind.Text);
        }
        catch (DecoderFallbackException)
        {
            return (string.Concat(bytes.Select(b => $"<0x{b:X2}>")), TokenKind.Byte);
        }
    }

    public override string ToString() => $"{Name} tokenizer ({VocabularySize:N0} tokens)";

    private static string Visible(string text) =>
        text.Replace(' ', '▁').Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");

    private int CheckId(int id) => id >= 0 && id < _engine.VocabularySize ? id
        : throw new WalkthroughException($"Token id {id} is outside the {Name} vocabulary (0..{_engine.VocabularySize - 1}).");

    private static (string Folder, string File) Resolve(string source)
    {
        if (File.Exists(source)) return (Path.GetDirectoryName(Path.GetFullPath(source))!, Path.GetFullPath(source));
        if (!Directory.Exists(source))
        {
            throw new WalkthroughException(
                $"Tokenizer \"{source}\" not found: give a model folder (with tokenizer.json or tokenizer.model), " +
                $"one of those files, a Hugging Face model id (org/name), or a tiktoken encoding ({string.Join(", ", TiktokenEncoding.Names)}).");
        }
        foreach (var name in new[] { "tokenizer.json", "tokenizer.model" })
        {
            var file = Path.Combine(source, name);
            if (File.Exists(file)) return (Path.GetFullPath(source), Path.GetFullPath(file));
        }
        throw new WalkthroughException($"No tokenizer file in {source} — expected one of tokenizer.json, tokenizer.model.");
    }
}
