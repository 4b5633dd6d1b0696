using System.CommandLine;
using System.Text.Json;
using Walkthrough.Checks;

namespace Walkthrough.Cli.Commands;

/// <summary>
/// <c>walkthrough check [--device cuda] [--golden DIR] [--json]</c>: the kit's device checks (golden logits, placement,
/// generation, precision, out-of-memory) — the tests a GPU machine without .NET runs from the bundle. Exit 1 when one fails.
/// </summary>
public static class CheckCommand
{
    public static Command Create(Terminal terminal)
    {
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var golden = new Option<string>("--golden") { Description = "Folder of golden logits from make_golden.py. Default: tests/data/golden." };
        var json = new Option<bool>("--json") { Description = "One JSON object per check." };
        var command = new Command("check", "Check that the kit computes right on a device: golden logits, placement, generation, precision, out-of-memory.")
        {
            device, golden, json,
        };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var checks = DeviceChecks.Run(parse.GetValue(device)!, parse.GetValue(golden));
            foreach (var check in checks)
            {
                terminal.Out.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { name = check.Name, outcome = check.Outcome.ToString().ToLowerInvariant(), figure = check.Figure }, Input.JsonOptions)
                    : $"{Mark(check.Outcome)} {check.Name,-24} {check.Figure}");
            }
            var failed = checks.Count(c => c.Outcome == CheckOutcome.Failed);
            if (!parse.GetValue(json))
                terminal.Out.WriteLine($"{checks.Count(c => c.Outcome == CheckOutcome.Passed)} passed, {failed} failed, {checks.Count(c => c.Outcome == CheckOutcome.Skipped)} skipped");
            return failed == 0 ? ExitCodes.Ok : 1;
        }));
        return command;
    }

    private static string Mark(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "✔",
        CheckOutcome.Failed => "✘",
        _ => "–",
    };
}
