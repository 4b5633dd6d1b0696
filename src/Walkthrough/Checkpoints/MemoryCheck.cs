using Walkthrough.Display;
using Walkthrough.Hardware;
using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>
/// Whether a model's weights fit where they are going, worked out from config.json by the planner's parameter count
/// before any tensor is allocated. A config that asks for more memory than the machine has free is refused with the
/// number — instead of an allocation failure halfway, the system's out-of-memory killer, or libtorch aborting.
/// </summary>
internal static class MemoryCheck
{
    public static void Require(string name, ModelConfig config, ScalarType dtype, Device device, bool int8)
    {
        var planned = int8 ? Hardware.Dtype.Int8
            : dtype == ScalarType.Float32 ? Hardware.Dtype.Float32
            : dtype == ScalarType.BFloat16 ? Hardware.Dtype.BFloat16
            : Hardware.Dtype.Float16;
        var count = ParameterCount.Of(config);
        var needed = WeightStorage.Bytes(count, planned);
        var (free, where) = Free(device);
        if (free is not { } available || needed <= available) return;
        var smaller = device.type == TorchSharp.DeviceType.CPU
            ? "choose a smaller dtype (bfloat16) or int8 weights, or a machine with more memory"
            : "choose a smaller dtype, int8 weights, or a bigger GPU";
        throw new WalkthroughException(
            $"{name} needs {Units.Bytes(needed)} for its weights in {planned.Name()} ({count.Total:N0} parameters, counted from config.json: {CheckpointFit.Describe(config)}), " +
            $"but {where} has {Units.Bytes(available)} free: {smaller} — `walkthrough plan` shows what fits. If the model is not that big, check the sizes in config.json.");
    }

    private static (long? Bytes, string Where) Free(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CPU)
        {
            var memory = MachineMemory.Read();
            return (memory.RamAvailableBytes ?? memory.RamTotalBytes, "this machine");
        }
        try
        {
            var gpu = Gpu.Present(Math.Max(0, (int)device.index));
            return (gpu.AvailableBytes, $"{device} ({gpu.Name})");
        }
        catch (WalkthroughException)
        {
            return (null, device.ToString());  // no NVML to ask: an allocation that fails still says so
        }
    }
}
