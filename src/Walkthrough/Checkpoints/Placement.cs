using static TorchSharp.torch;

namespace Walkthrough.Checkpoints;

/// <summary>Decides where a model runs and in which dtype, from what the learner asked and what the machine has.</summary>
internal static class Placement
{
    public static (Device Device, ScalarType Dtype) Choose(LoadOptions options)
    {
        var device = options.Device switch
        {
            null => cuda.is_available() ? CUDA : CPU,
            "cpu" => CPU,
            var name when name.StartsWith("cuda", StringComparison.Ordinal) => Cuda(name),
            var other => throw new WalkthroughException($"Device \"{other}\" is not known: use cpu, cuda or cuda:N."),
        };
        var dtype = options.Dtype switch
        {
            null when device.type == TorchSharp.DeviceType.CPU => ScalarType.Float32,
            // bfloat16 needs Ampere (8.0) or newer; the seed's V100 (7.0) and a T4 (7.5) get float16.
            null => (Native.CudaDriver.ComputeCapability(device.index < 0 ? 0 : device.index)?.Major ?? 0) >= 8 ? ScalarType.BFloat16 : ScalarType.Float16,
            "float32" or "fp32" => ScalarType.Float32,
            "bfloat16" or "bf16" => ScalarType.BFloat16,
            "float16" or "fp16" => ScalarType.Float16,
            var other => throw new WalkthroughException($"dtype \"{other}\" is not supported: use float32, bfloat16 or float16 (int8 is a separate switch)."),
        };
        return (device, dtype);
    }

    private static Device Cuda(string name)
    {
        if (!cuda.is_available())
            throw new WalkthroughException(
                $"Device \"{name}\" was asked for, but TorchSharp sees no CUDA GPU: set WALKTHROUGH_LIBTORCH to a PyTorch with CUDA's torch/lib, or use the TorchSharp-cuda package for your system (see environment.md), or --device cpu.");
        var device = new Device(name);
        if (device.index >= cuda.device_count())
            throw new WalkthroughException($"Device \"{name}\" does not exist: TorchSharp sees {cuda.device_count()} GPU(s), cuda:0 to cuda:{cuda.device_count() - 1}.");
        return device;
    }
}
