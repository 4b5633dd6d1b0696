using System.CommandLine;
using Walkthrough.Hardware;

namespace Walkthrough.Cli.Commands;

/// <summary><c>walkthrough gpu [--json]</c>: what nvidia-smi showed in the seed notebook, read through NVML.</summary>
public static class GpuCommand
{
    public static Command Create(Terminal terminal)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (docs/json.md): each GPU's memory, use, temperature, power and processes, and the machine's RAM." };
        var command = new Command("gpu", "Show the NVIDIA GPUs (memory, use, temperature, power, processes) or, without one, the machine's memory.") { json };
        command.SetAction(parse => Guarded.Run(terminal, () =>
        {
            var report = GpuReport.Read();
            if (!parse.GetValue(json))
            {
                terminal.Out.WriteLine(report.ToString());
                return ExitCodes.Ok;
            }
            var m = report.Machine;
            Input.WriteJson(terminal, new
            {
                available = report.Available,
                reason = report.Reason,
                driver_version = report.DriverVersion,
                cuda_driver_version = report.CudaDriverVersion,
                gpus = report.Gpus.Select(g => new
                {
                    index = g.Index,
                    name = g.Name,
                    memory_total_bytes = g.MemoryTotalBytes,
                    memory_used_bytes = g.MemoryUsedBytes,
                    memory_free_bytes = g.MemoryFreeBytes,
                    utilization_percent = g.UtilizationPercent,
                    memory_utilization_percent = g.MemoryUtilizationPercent,
                    temperature_celsius = g.TemperatureCelsius,
                    power_watts = g.PowerDrawWatts,
                    power_limit_watts = g.PowerLimitWatts,
                    compute_capability = g.ComputeCapability?.ToString(),
                    processes = g.Processes.Select(p => new { pid = p.Pid, name = p.Name, used_bytes = p.UsedBytes, type = p.Type }),
                    problems = g.Problems,
                }),
                problems = report.Problems,
                machine = new
                {
                    ram_total_bytes = m.RamTotalBytes,
                    ram_available_bytes = m.RamAvailableBytes,
                    process_working_set_bytes = m.ProcessWorkingSetBytes,
                    process_peak_bytes = m.ProcessPeakBytes,
                    managed_heap_bytes = m.ManagedHeapBytes,
                    source = m.Source,
                },
                torch_cuda_available = report.Torch.CudaAvailable,
                torch_device_count = report.Torch.DeviceCount,
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
