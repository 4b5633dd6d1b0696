namespace Walkthrough.Notebooks;

/// <summary>One thing a code cell showed when it ran: text it printed, a value it displayed, or its error.</summary>
public abstract record CellOutput;
