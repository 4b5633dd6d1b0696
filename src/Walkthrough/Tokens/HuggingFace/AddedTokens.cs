using Walkthrough.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// Tokens added on top of the BPE vocabulary (&lt;s&gt;, &lt;|im_start|&gt;, ...). They are found in the raw text
/// first — longest match wins, leftmost first — so "&lt;s&gt;" typed in a prompt becomes the control token, as
/// Hugging Face tokenizers do; the text between them goes through normalization and BPE. Each has its own id and
/// text, and where the vocabulary has the text too, the same id.
/// </summary>
internal sealed class AddedTokens
{
    private readonly Dictionary<char, List<Entry>> _byFirstChar = [];

    public AddedTokens(JsonField addedTokens, BpeModel model)
    {
        var byId = new Dictionary<int, string>();
        var byContent = new Dictionary<string, int>();
        foreach (var token in addedTokens.Items())
        {
            token.Object();
            var id = token["id"].Int(0, model.IdBound - 1, $"but ids run from 0 to {model.IdBound - 1:N0} (one per vocabulary entry and added token)");
            var content = token["content"].String();
            if (content.Length == 0) throw token["content"].Error("is empty: an added token needs its text");
            if (byId.TryGetValue(id, out var twin)) throw token["id"].Error($"is {id}, the id of the added token \"{twin}\" too: two tokens cannot share an id");
            if (byContent.TryGetValue(content, out var twinId)) throw token["content"].Error($"is \"{content}\", added already with id {twinId}");
            if (model.IdOf(content) is { } vocabularyId && vocabularyId != id)
                throw token["id"].Error($"is {id}, but the vocabulary gives \"{content}\" the id {vocabularyId}");
            if (id < model.Pieces.Length && model.Pieces[id] is { } piece && piece != content)
                throw token["id"].Error($"is {id}, which the vocabulary gives to \"{piece}\", not \"{content}\"");
            byId[id] = content;
            byContent[content] = id;
            var entry = new Entry(id, content,
                token["special"].StrictBool(false), token["lstrip"].StrictBool(false), token["rstrip"].StrictBool(false), token["single_word"].StrictBool(false));
            token["normalized"].StrictBool(false);  // read for its type only: the kit matches added tokens in the raw text
            All.Add(entry);
            if (!_byFirstChar.TryGetValue(entry.Content[0], out var list)) _byFirstChar[entry.Content[0]] = list = [];
            list.Add(entry);
        }
        foreach (var list in _byFirstChar.Values) list.Sort((a, b) => b.Content.Length.CompareTo(a.Content.Length));
    }

    public List<Entry> All { get; } = [];

    /// <summary>Cuts a text into plain runs and added tokens, in order.</summary>
    public IEnumerable<Segment> Split(string text)
    {
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = MatchAt(text, i);
            if (match is null)
            {
                i++;
                continue;
            }
            var (start, end) = (i, i + match.Content.Length);
            // lstrip/rstrip tokens swallow the whitespace beside them.
            if (match.LStrip) while (start > plainStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (match.RStrip) while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > plainStart) yield return new Segment(null, plainStart, start - plainStart);
            yield return new Segment(match, start, end - start);
            plainStart = i = end;
        }
        if (plainStart < text.Length) yield return new Segment(null, plainStart, text.Length - plainStart);
    }

    private Entry? MatchAt(string text, int i)
    {
        if (!_byFirstChar.TryGetValue(text[i], out var candidates)) return null;
        foreach (var entry in candidates)
        {
            if (string.CompareOrdinal(text, i, entry.Content, 0, entry.Content.Length) != 0) continue;
            if (entry.SingleWord && !IsWordBoundary(text, i, i + entry.Content.Length)) continue;
            return entry;
        }
        return null;
    }

    private static bool IsWordBoundary(string text, int start, int end) =>
        (start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));

    public sealed record Entry(int Id, string Content, bool Special, bool LStrip, bool RStrip, bool SingleWord);

    /// <summary>A run of the input: an added token (<see cref="Token"/> set) or plain text.</summary>
    public readonly record struct Segment(Entry? Token, int Start, int Length);
}
