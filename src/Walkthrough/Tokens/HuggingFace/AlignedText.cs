using System.Globalization;
using System.Text;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// Text that normalizers and pre-tokenizers have rewritten, with, for every character, the span of the original
/// text it came from — so a token made of rewritten characters still points at the learner's own words.
/// </summary>
internal sealed class AlignedText
{
    private readonly int[] _start;
    private readonly int[] _end;

    public AlignedText(string text, int[] start, int[] end)
    {
        Text = text;
        _start = start;
        _end = end;
    }

    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>A slice of the original text, each character aligned to itself.</summary>
    public static AlignedText Original(string text, int offset, int length)
    {
        var start = new int[length];
        var end = new int[length];
        for (var i = 0; i < length; i++)
        {
            start[i] = offset + i;
            end[i] = offset + i + 1;
        }
        return new AlignedText(text.Substring(offset, length), start, end);
    }

    /// <summary>The original span covered by characters [from, to) of this text.</summary>
    public (int Start, int End) OriginalSpan(int from, int to)
    {
        if (Length == 0) return (0, 0);
        from = Math.Clamp(from, 0, Length - 1);
        to = Math.Clamp(to, from + 1, Length);
        var start = int.MaxValue;
        var end = int.MinValue;
        for (var i = from; i < to; i++)
        {
            start = Math.Min(start, _start[i]);
            end = Math.Max(end, _end[i]);
        }
        return (start, end);
    }

    public AlignedText Slice(int from, int length) =>
        new(Text.Substring(from, length), _start[from..(from + length)], _end[from..(from + length)]);

    public AlignedText Prepend(string prefix)
    {
        if (Length == 0 || prefix.Length == 0) return this;
        // The added characters belong to the first original character, as Hugging Face aligns them.
        var start = Enumerable.Repeat(_start[0], prefix.Length).Concat(_start).ToArray();
        var end = Enumerable.Repeat(_end[0], prefix.Length).Concat(_end).ToArray();
        return new AlignedText(prefix + Text, start, end);
    }

    /// <summary>Rewrites each matched run of characters; the replacement is aligned to the whole run.</summary>
    public AlignedText Replace(IEnumerable<(int Index, int Length)> matches, Func<string, string> replacement)
    {
        var builder = new Builder(Length);
        var next = 0;
        foreach (var (index, length) in matches.OrderBy(m => m.Index))
        {
            if (index < next) continue;
            builder.AppendAligned(this, next, index - next);
            var (start, end) = length == 0 ? Point(index) : OriginalSpan(index, index + length);
            builder.Append(replacement(Text.Substring(index, length)), start, end);
            next = index + length;
        }
        builder.AppendAligned(this, next, Length - next);
        return builder.Build();
    }

    /// <summary>Rewrites the text in runs that a transform may change independently (Unicode normalization, case).</summary>
    public AlignedText MapRuns(Func<string, string> transform)
    {
        var builder = new Builder(Length);
        var i = 0;
        while (i < Length)
        {
            var runEnd = RunEnd(i);
            var (start, end) = OriginalSpan(i, runEnd);
            builder.Append(transform(Text[i..runEnd]), start, end);
            i = runEnd;
        }
        return builder.Build();
    }

    private (int, int) Point(int index) => index < Length ? (_start[index], _start[index]) : (_end[^1], _end[^1]);

    // A run is one base character with the combining marks after it, surrogate pairs kept whole.
    private int RunEnd(int i)
    {
        var j = i + (char.IsHighSurrogate(Text[i]) && i + 1 < Length ? 2 : 1);
        while (j < Length && IsCombining(Text, j)) j += char.IsHighSurrogate(Text[j]) && j + 1 < Length ? 2 : 1;
        return j;
    }

    private static bool IsCombining(string text, int index) =>
        CharUnicodeInfo.GetUnicodeCategory(text, index) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    public sealed class Builder(int capacity)
    {
        private readonly StringBuilder _text = new(capacity);
        private readonly List<int> _start = new(capacity);
        private readonly List<int> _end = new(capacity);

        public void Append(string text, int start, int end)
        {
            _text.Append(text);
            for (var k = 0; k < text.Length; k++)
            {
                _start.Add(start);
                _end.Add(end);
            }
        }

        public void AppendAligned(AlignedText source, int from, int length)
        {
            _text.Append(source.Text, from, length);
            _start.AddRange(source._start.AsSpan(from, length).ToArray());
            _end.AddRange(source._end.AsSpan(from, length).ToArray());
        }

        public AlignedText Build() => new(_text.ToString(), _start.ToArray(), _end.ToArray());
    }
}
