namespace Walkthrough;

/// <summary>
/// A problem the learner can fix: the message names the file or value and says what to do.
/// The CLI prints it as one line and exits with code 2; notebooks show the message, not a stack trace.
/// </summary>
public sealed class WalkthroughException : Exception
{
    public WalkthroughException(string message) : base(message) { }

    public WalkthroughException(string message, Exception inner) : base(message, inner) { }
}
