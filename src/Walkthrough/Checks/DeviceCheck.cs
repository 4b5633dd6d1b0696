namespace Walkthrough.Checks;

/// <summary>One result of <see cref="DeviceChecks"/>: what was checked on which device, the figure measured, and the verdict.</summary>
/// <param name="Name">"golden llama float32", "placement", "precision bfloat16", "out of memory", ….</param>
/// <param name="Outcome">Passed, Failed, or Skipped (with the reason in <paramref name="Figure"/>).</param>
/// <param name="Figure">What was measured, against what ("max |Δ| 3.1e-6 ≤ 1e-4").</param>
public sealed record DeviceCheck(string Name, CheckOutcome Outcome, string Figure);

public enum CheckOutcome
{
    Passed,
    Failed,
    Skipped,
}
