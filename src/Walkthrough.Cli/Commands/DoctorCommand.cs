using System.CommandLine;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough doctor [--json]</c>: is this machine ready for the lessons, and if not, what to do.</summary>
public static class DoctorCommand
{
    public static Command Create(Terminal terminal)
    {
        var libTorch = new Option<string>("--libtorch") { Description = "Check and use the libtorch in this folder (as WALKTHROUGH_LIBTORCH does), e.g. a PyTorch's torch/lib." };
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): each check with ok, what was found and the fix." };
        var command = new Command("doctor", "Check .NET, TorchSharp and libtorch, CUDA, NVML, the Hugging Face cache and token, and disk space.") { libTorch, json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            if (parse.GetValue(libTorch) is { } folder)
                Native.TorchRuntime.UseLibTorch(folder);
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
