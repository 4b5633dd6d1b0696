using System.Text;

namespace Walkthrough.Tokens.HuggingFace;

/// <summary>
/// GPT-2's trick for byte-level BPE: each of the 256 byte values gets a printable character, so a vocabulary of
/// strings can hold any bytes. Printable ASCII and Latin-1 map to themselves; the rest (space, control bytes)
/// move to U+0100 and up — which is why a space reads "Ġ" in these vocabularies.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>The bytes a byte-level string spells, or null if it holds a character outside the alphabet.</summary>
    public static byte[]? Decode(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!CharToByte.TryGetValue(text[i], out bytes[i])) return null;
        }
        return bytes;
    }

    /// <summary>Maps a text to the alphabet, one character per UTF-8 byte, each aligned to the character it encodes.</summary>
    public static AlignedText Map(AlignedText text)
    {
        var builder = new AlignedText.Builder(text.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text.Text[i]) && i + 1 < text.Length ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(text.Text.AsSpan(i, width), utf8);
            var (start, end) = text.OriginalSpan(i, i + width);
            for (var b = 0; b < count; b++) builder.Append(ByteToChar[utf8[b]].ToString(), start, end);
            i += width;
        }
        return builder.Build();
    }

    private static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
