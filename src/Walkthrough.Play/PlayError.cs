namespace Walkthrough.Play;

/// <summary>A request the playground refuses, with the HTTP status and the sentence the page shows the learner.</summary>
internal sealed class PlayError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static PlayError BadInput(string message) => new(400, message);

    public static PlayError SessionGone() => new(404,
        "This page's session has ended (idle too long, or the playground restarted): reload the page to start a new one.");

    public static PlayError Busy(string message) => new(409, message);
}
