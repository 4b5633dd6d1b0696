namespace Walkthrough.Train.Corpus;

/// <summary>One generated document and the family that wrote it; <see cref="Index"/> is its place in the corpus.</summary>
public sealed record CorpusDocument(long Index, CorpusFamily Family, string Text);
