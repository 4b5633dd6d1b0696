namespace Walkthrough.Tests.Native;

/// <summary>A fact about the Linux loader or the system libstdc++: skipped, and said so, on other systems.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
            Skip = "needs Linux: it checks the dynamic loader and the system libstdc++";
    }
}
