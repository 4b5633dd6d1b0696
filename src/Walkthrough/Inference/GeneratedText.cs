using System.Text;
using Walkthrough.Tokens;

namespace Walkthrough.Inference;

/// <summary>
/// Text growing token by token. A token can be part of a character (an emoji is four byte tokens), so bytes are
/// decoded as they complete; and text that might be the start of a stop string is held back until it is clear.
/// </summary>
internal sealed class GeneratedText
{
    private readonly Tokenizer _tokenizer;
    private readonly IReadOnlyList<string> _stopStrings;
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
    private readonly StringBuilder _text = new();
    private int _emitted;
    private int _stopAt;

    public GeneratedText(Tokenizer tokenizer, IReadOnlyList<string> stopStrings)
    {
        _tokenizer = tokenizer;
        _stopStrings = stopStrings.Where(s => s.Length > 0).ToList();
    }

    /// <summary>The text so far, cut before the stop string once one appeared.</summary>
    public string Text => StopString is null ? _text.ToString() : _text.ToString(0, _stopAt);

    /// <summary>The stop string that ended the text, if one did.</summary>
    public string? StopString { get; private set; }

    /// <summary>The text of ids decoded at once (special tokens are not text).</summary>
    public static string Decode(Tokenizer tokenizer, IEnumerable<int> ids) =>
        Encoding.UTF8.GetString(ids.SelectMany(tokenizer.BytesOf).ToArray());

    /// <summary>Adds a token; returns the text that is now certain (never part of a stop string), possibly empty.</summary>
    public string Add(int id)
    {
        if (StopString is not null) return "";
        var bytes = _tokenizer.BytesOf(id);
        var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
        _utf8.GetChars(bytes, chars, flush: false);
        _text.Append(chars);

        var text = _text.ToString();
        foreach (var stop in _stopStrings)
        {
            var at = text.IndexOf(stop, Math.Max(0, _emitted - stop.Length), StringComparison.Ordinal);
            if (at >= 0 && (StopString is null || at < _stopAt)) (StopString, _stopAt) = (stop, at);
        }
        var safe = StopString is not null ? _stopAt : text.Length - HeldBack(text);
        if (safe <= _emitted) return "";
        var piece = text[_emitted..safe];
        _emitted = safe;
        return piece;
    }

    /// <summary>Whatever was held back, once generation has ended without a stop string.</summary>
    public string Flush()
    {
        var rest = new char[_utf8.GetCharCount([], flush: true)];
        _utf8.GetChars([], rest, flush: true);
        _text.Append(rest);
        var end = StopString is null ? _text.Length : _stopAt;
        var piece = end > _emitted ? _text.ToString(_emitted, end - _emitted) : "";
        _emitted = Math.Max(_emitted, end);
        return piece;
    }

    // The longest end of the text that is also the start of some stop string.
    private int HeldBack(string text)
    {
        var longest = 0;
        foreach (var stop in _stopStrings)
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length))) { longest = length; break; }
        return longest;
    }
}
