using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// The one fact about a GPU that TorchSharp does not expose and the kit needs: its compute capability (8.0 and
/// newer compute bfloat16 natively). Asked of the CUDA driver library, found at run time; null where there is none.
/// </summary>
internal static class CudaDriver
{
    private const int ComputeCapabilityMajorAttribute = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
    private const int ComputeCapabilityMinorAttribute = 76;

    private delegate int CuInit(uint flags);
    private delegate int CuDeviceGetAttribute(out int value, int attribute, int device);

    public static (int Major, int Minor)? ComputeCapability(int device)
    {
        var name = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
        if (!NativeLibrary.TryLoad(name, out var library)) return null;
        if (!NativeLibrary.TryGetExport(library, "cuInit", out var init) ||
            !NativeLibrary.TryGetExport(library, "cuDeviceGetAttribute", out var attribute)) return null;
        var getAttribute = Marshal.GetDelegateForFunctionPointer<CuDeviceGetAttribute>(attribute);
        if (Marshal.GetDelegateForFunctionPointer<CuInit>(init)(0) != 0) return null;
        return getAttribute(out var major, ComputeCapabilityMajorAttribute, device) == 0 &&
               getAttribute(out var minor, ComputeCapabilityMinorAttribute, device) == 0
            ? (major, minor) : null;
    }
}
