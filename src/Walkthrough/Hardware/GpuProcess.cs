namespace Walkthrough.Hardware;

/// <summary>
/// A process holding memory on a GPU, as nvidia-smi lists it. <c>Type</c> is nvidia-smi's: C (compute, e.g.
/// PyTorch), G (graphics, e.g. a desktop) or C+G. <c>Name</c> is null where this process cannot see the other —
/// inside a container, NVML reports the host's process ids.
/// </summary>
public sealed record GpuProcess(int Pid, string? Name, long? UsedBytes, string Type);
