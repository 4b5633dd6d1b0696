namespace Walkthrough.Notebooks;

/// <summary>Text the cell wrote to the console; <see cref="Name"/> is <c>stdout</c> or <c>stderr</c>.</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput
{
    public const string StandardOutput = "stdout";
    public const string StandardError = "stderr";
}
