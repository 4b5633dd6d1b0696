using System.Security.Cryptography;

namespace Walkthrough.Native;

/// <summary>
/// Where patched copies of native libraries live: <c>$XDG_CACHE_HOME/walkthrough/native/&lt;hash&gt;/</c>
/// (or <c>~/.cache/…</c>), one folder per original file's content, so a new TorchSharp gets a new copy and
/// the file in the NuGet cache is never touched.
/// </summary>
internal static class PatchedCopyCache
{
    /// <summary>Writes <paramref name="patched"/> unless an identical copy is there already; returns its path.</summary>
    public static string Store(string originalPath, byte[] original, byte[] patched)
    {
        var hash = Convert.ToHexString(SHA256.HashData(original))[..16].ToLowerInvariant();
        var folder = Path.Combine(Root(), "walkthrough", "native", hash);
        var path = Path.Combine(folder, Path.GetFileName(originalPath));
        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(patched))
                return path;
            Directory.CreateDirectory(folder);
            // Write aside, then rename: another process loading the copy never sees half a file.
            var partial = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
            File.WriteAllBytes(partial, patched);
            File.Move(partial, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalkthroughException(
                $"Could not write the patched copy of {Path.GetFileName(originalPath)} to {folder} ({e.Message}): set XDG_CACHE_HOME to a writable folder.", e);
        }
    }

    private static string Root()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            return xdg;
        // DoNotVerify: a HOME that does not exist yet (a fresh container's) is made below, not taken for "unset".
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(home))
            throw new WalkthroughException("Neither XDG_CACHE_HOME nor HOME is set, so there is no folder for the patched copy of libLibTorchSharp.so: set XDG_CACHE_HOME.");
        return Path.Combine(home, ".cache");
    }
}
