using System.CommandLine;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough doctor [--json]</c>: is this machine ready for the lessons, and if not, what to do.</summary>
public static class DoctorCommand
{
    public static Command Create(Terminal terminal)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): each check with ok, what was found and the fix." };
        var command = new Command("doctor", "Check .NET, TorchSharp and libtorch, CUDA, NVML, the Hugging Face cache and token, and disk space.") { json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var doctor = Doctor.Check();
            if (parse.GetValue(json))
                Input.WriteJson(terminal, new
                {
                    all_ok = doctor.AllOk,
                    checks = doctor.Checks.Select(c => new { check = c.What, ok = c.Ok, found = c.Found, fix = c.Fix }),
                });
            else terminal.Out.Write(doctor.ToString());
            return doctor.AllOk ? ExitCodes.Ok : 1;
        }));
        return command;
    }
}
