using System.Globalization;
using System.Runtime.CompilerServices;

namespace Walkthrough.Tests;

/// <summary>
/// The kit's messages are English and the tests compare them as such; machines that run the tests differ in locale
/// (CI's printed "100 %", a German one prints "1,5" and Roslyn's errors in German). Every test thread starts invariant.
/// </summary>
internal static class InvariantCulture
{
    [ModuleInitializer]
    internal static void ForEveryTest()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}
