using System.CommandLine;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough doctor</c>: is this machine ready for the lessons, and if not, what to do.</summary>
public static class DoctorCommand
{
    public static Command Create(Terminal terminal)
    {
        var libTorch = new Option<string>("--libtorch") { Description = "Check and use the libtorch in this folder (as WALKTHROUGH_LIBTORCH does), e.g. a PyTorch's torch/lib." };
        var command = new Command("doctor", "Check .NET, TorchSharp and libtorch, CUDA, NVML, the Hugging Face cache and token, and disk space.") { libTorch };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            if (parse.GetValue(libTorch) is { } folder)
                Native.TorchRuntime.UseLibTorch(folder);
            var doctor = Doctor.Check();
            terminal.Out.Write(doctor.ToString());
            return doctor.AllOk ? ExitCodes.Ok : 1;
        }));
        return command;
    }
}
