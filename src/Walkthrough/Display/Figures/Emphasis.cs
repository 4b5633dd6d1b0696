namespace Walkthrough.Display;

/// <summary>How one bar, cell or point stands out: the chosen token is highlighted, a token a rule cut is greyed.</summary>
public enum Emphasis
{
    Normal,
    Highlight,
    Muted,
}
