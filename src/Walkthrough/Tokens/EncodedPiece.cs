namespace Walkthrough.Tokens;

/// <summary>An id and the span of original text it covers; the engines' common currency.</summary>
internal readonly record struct EncodedPiece(int Id, int Start, int End);
