using System.Buffers.Binary;
using System.Text;
using Walkthrough.Checkpoints;

namespace Walkthrough.Tests.Checkpoints;

/// <summary>Safetensors files built byte by byte, so a test states exactly what the file says.</summary>
internal static class SafetensorsTestFiles
{
    /// <summary>The 8-byte length, the header as written, then the data.</summary>
    public static string Write(string path, string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return WriteRaw(path, [.. Length((ulong)json.Length), .. json, .. data]);
    }

    public static string WriteRaw(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] Length(ulong headerBytes)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerBytes);
        return bytes;
    }

    public static byte[] Floats(params float[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    public static byte[] Halves(params ushort[] bits) => [.. bits.SelectMany(BitConverter.GetBytes)];

    /// <summary>The message of the error that opening <paramref name="path"/> gives.</summary>
    public static string OpeningFails(string path) => Assert.Throws<WalkthroughException>(() => SafetensorsHeader.Read(path)).Message;
}
