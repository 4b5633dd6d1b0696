namespace Walkthrough.Notebooks;

/// <summary>Why a cell failed: nbformat's <c>ename</c>, <c>evalue</c> and <c>traceback</c> lines.</summary>
public sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : CellOutput;
