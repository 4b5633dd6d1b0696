using System.Text;

namespace Walkthrough.Native;

/// <summary>
/// The qualified name inside an Itanium C++ mangled symbol, without its parameter types — enough for a person to
/// read which libtorch function is meant: <c>_ZN2at4_ops10add_Tensor4callERKNS_6TensorES4_RKN3c106ScalarE</c>
/// reads <c>at::_ops::add_Tensor::call</c>. Names it cannot read are returned as they are.
/// </summary>
internal static class MangledName
{
    public static string Readable(string symbol)
    {
        if (symbol.StartsWith("_ZN", StringComparison.Ordinal))
            return Nested(symbol, 3) ?? symbol;
        if (symbol.StartsWith("_Z", StringComparison.Ordinal) && symbol.Length > 2 && char.IsAsciiDigit(symbol[2]))
        {
            var at = 2;
            return SourceName(symbol, ref at) ?? symbol;
        }
        return symbol;
    }

    private static string? Nested(string symbol, int at)
    {
        var parts = new List<string>();
        while (at < symbol.Length && symbol[at] is 'K' or 'V' or 'r' or 'L')
            at++; // cv-qualifiers of a member function
        if (symbol.AsSpan(at).StartsWith("St"))
        {
            parts.Add("std");
            at += 2;
        }
        while (at < symbol.Length)
        {
            var c = symbol[at];
            if (char.IsAsciiDigit(c))
            {
                if (SourceName(symbol, ref at) is not { } name) return null;
                parts.Add(name);
            }
            else if (c == 'I')
            {
                if (!SkipTemplateArguments(symbol, ref at)) return null;
                parts[^1] += "<…>";
            }
            else if (c is 'C' or 'D' && at + 1 < symbol.Length && char.IsAsciiDigit(symbol[at + 1]) && parts.Count > 0)
            {
                var type = parts[^1].Split('<')[0];
                parts.Add(c == 'C' ? type : "~" + type);
                at += 2;
            }
            else if (c == 'E')
                break;
            else
                return parts.Count > 0 ? string.Join("::", parts) : null; // a substitution or an operator: stop here
        }
        return parts.Count > 0 ? string.Join("::", parts) : null;
    }

    private static string? SourceName(string symbol, ref int at)
    {
        var digits = new StringBuilder();
        while (at < symbol.Length && char.IsAsciiDigit(symbol[at]))
            digits.Append(symbol[at++]);
        if (!int.TryParse(digits.ToString(), out var length) || length <= 0 || at + length > symbol.Length)
            return null;
        var name = symbol.Substring(at, length);
        at += length;
        return name;
    }

    /// <summary>Skips <c>I … E</c>; nested names (N) and further argument lists close with E too; literals (L … E) are skipped whole.</summary>
    private static bool SkipTemplateArguments(string symbol, ref int at)
    {
        var depth = 0;
        while (at < symbol.Length)
        {
            var c = symbol[at];
            if (char.IsAsciiDigit(c))
            {
                if (SourceName(symbol, ref at) is null) return false;
                continue;
            }
            if (c == 'L')
            {
                var end = symbol.IndexOf('E', at); // a literal such as Lb1E or Li3E
                if (end < 0) return false;
                at = end + 1;
                continue;
            }
            if (c is 'I' or 'N') depth++;
            else if (c == 'E' && --depth == 0)
            {
                at++;
                return true;
            }
            at++;
        }
        return false;
    }
}
