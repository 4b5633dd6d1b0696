using System.Runtime.InteropServices;

namespace Walkthrough.Native;

/// <summary>
/// Asks libtorch's OpenMP (libgomp) to let its threads sleep between parallel regions instead of spinning, unless
/// OMP_WAIT_POLICY is set already. A decode step shares each large product's rows with the kit's own helper threads
/// (<see cref="Architectures.RowPool"/>); a libgomp thread that spins after every small libtorch operation takes a core
/// from them. Measured on TinyLlama's shape at 2 threads on a 2-core VM: 6.7 → 9.8 tokens/s. libgomp reads the
/// variable once, when it loads, so this runs before libtorch does; <c>setenv</c> because .NET's own environment
/// does not reach native code on Linux.
/// </summary>
internal static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    public static void PassiveUnlessSet()
    {
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            setenv(Variable, "PASSIVE", 0);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
