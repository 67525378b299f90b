using System.Buffers.Binary;
using System.Text;

namespace Cipo.TorchSharp.Tests.Checkpoints;

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cipo-ckpt-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class CheckpointTestSupport
{
    /// <summary>Writes a safetensors file by hand: 8-byte length, the given header text, then <paramref name="dataLength"/> zero bytes.</summary>
    public static void WriteRaw(string path, string header, long dataLength, ulong? declaredLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        using var stream = System.IO.File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredLength ?? (ulong)json.Length);
        stream.Write(prefix);
        stream.Write(json);
        stream.Write(new byte[dataLength]);
    }

    /// <summary>Same shape, dtype and values.</summary>
    public static bool Same(global::TorchSharp.torch.Tensor a, global::TorchSharp.torch.Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir, "Cipo.Sdk.sln")))
            {
                return dir;
            }
            dir = System.IO.Path.GetDirectoryName(dir);
        }
        throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }
}
