using System.Text.Json;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// Tokens added on top of the BPE vocabulary (&lt;s&gt;, &lt;|im_start|&gt;, ...). They are found in the raw text
/// first — longest match wins, leftmost first — so "&lt;s&gt;" typed in a prompt becomes the control token, as
/// Hugging Face tokenizers do; the text between them goes through normalization and BPE.
/// </summary>
internal sealed class AddedTokens
{
    private readonly Dictionary<char, List<Entry>> _byFirstChar = [];

    public AddedTokens(JsonElement addedTokens)
    {
        foreach (var token in addedTokens.EnumerateArray())
        {
            var entry = new Entry(
                token.GetProperty("id").GetInt32(),
                token.GetProperty("content").GetString() ?? "",
                Flag(token, "special"), Flag(token, "lstrip"), Flag(token, "rstrip"), Flag(token, "single_word"));
            if (entry.Content.Length == 0) continue;
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

    private static bool Flag(JsonElement token, string name) => token.TryGetProperty(name, out var v) && v.GetBoolean();

    public sealed record Entry(int Id, string Content, bool Special, bool LStrip, bool RStrip, bool SingleWord);

    /// <summary>A run of the input: an added token (<see cref="Token"/> set) or plain text.</summary>
    public readonly record struct Segment(Entry? Token, int Start, int Length);
}
