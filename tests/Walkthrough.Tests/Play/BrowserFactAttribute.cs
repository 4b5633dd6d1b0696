namespace Walkthrough.Tests.Play;

/// <summary>
/// A test in a real browser. It runs wherever the suite runs and fails, saying what to install, when chromium, node or
/// playwright-core is missing (.ci/run installs them); only WALKTHROUGH_SKIP_BROWSER_TESTS=1 skips it, and says so.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string SkipVariable = "WALKTHROUGH_SKIP_BROWSER_TESTS";

    public BrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
            Skip = $"{SkipVariable}=1: the playground was not tried in a browser";
    }
}
