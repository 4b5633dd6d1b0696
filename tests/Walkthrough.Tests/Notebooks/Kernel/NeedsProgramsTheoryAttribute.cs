namespace Walkthrough.Tests.Notebooks.Kernel;

/// <summary>
/// A theory that needs programs from Debian's packages (Jupyter's nbconvert, Chromium), which <c>.ci/run</c> installs.
/// Without them it is skipped, and says what to install — except in CI (CI=true), where a missing program fails the
/// test instead of hiding it.
/// </summary>
public sealed class NeedsProgramsTheoryAttribute : TheoryAttribute
{
    public NeedsProgramsTheoryAttribute(params string[] programs)
    {
        var missing = programs.Where(p => !ProcessRun.OnPath(p)).ToList();
        if (missing.Count > 0 && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = $"needs {string.Join(" and ", missing)} (bash .ci/run installs them: apt-get install jupyter-client python3-nbconvert python3-nbclient python3-ipykernel jupyter-nbconvert chromium)";
    }
}
