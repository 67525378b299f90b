using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

public static partial class SafeTensorsFile
{
    /// <summary>Bytes moved per read or write call between a file and a tensor's storage.</summary>
    internal const int DefaultChunkBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Loads one tensor. Only its own bytes are read. The tensor is created in its stored dtype on the CPU, then moved
    /// to <paramref name="device"/>; floating-point tensors are converted to <paramref name="targetDtype"/> when that
    /// is a floating-point type, while integer and bool tensors keep their stored dtype.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="info">The entry, normally from <see cref="ReadHeader(string)"/>; it is validated against the file again.</param>
    /// <param name="targetDtype">The dtype for floating-point tensors.</param>
    /// <param name="device">Where the tensor should live; the CPU when null.</param>
    /// <returns>A new tensor owned by the caller.</returns>
    /// <exception cref="CheckpointFormatException">The file or entry is malformed or the file is truncated.</exception>
    public static Tensor LoadTensor(string path, SafeTensorInfo info, ScalarType targetDtype, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(info);
        using var stream = OpenRead(path);
        long n = ReadHeaderLength(stream, path);
        return LoadTensor(stream, path, 8 + n, stream.Length - 8 - n, info, targetDtype, device);
    }

    /// <summary>
    /// Loads the tensors of a file, one at a time in file order, each read straight from disk into its storage.
    /// </summary>
    /// <param name="path">The safetensors file.</param>
    /// <param name="filter">Which tensor names to load; all when null.</param>
    /// <param name="targetDtype">The dtype for floating-point tensors; their stored dtype when null. Integer and bool tensors keep their dtype.</param>
    /// <param name="device">Where the tensors should live; the CPU when null.</param>
    /// <returns>Tensors by name, owned by the caller.</returns>
    /// <exception cref="CheckpointFormatException">The file is malformed or truncated.</exception>
    public static Dictionary<string, Tensor> LoadAll(string path, Func<string, bool>? filter = null, ScalarType? targetDtype = null, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        var header = ReadHeader(stream, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in header.Tensors.OrderBy(t => t.Begin))
            {
                if (filter is not null && !filter(info.Name))
                {
                    continue;
                }
                result.Add(info.Name, LoadTensor(stream, path, header.DataStart, header.DataLength, info, targetDtype, device));
            }
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }
            throw;
        }
        return result;
    }

    internal static Tensor LoadTensor(FileStream stream, string path, long dataStart, long dataLength, SafeTensorInfo info, ScalarType? targetDtype, Device? device, int chunkBytes = DefaultChunkBytes)
    {
        if (!SafeTensorsDType.TryGetScalarType(info.DType, out var stored))
        {
            throw CheckpointFormatException.Create(path, info.Name, "dtype",
                $"unknown or unsupported dtype '{info.DType}'; supported: {string.Join(", ", SafeTensorsDType.Supported)}");
        }
        ArgumentNullException.ThrowIfNull(info.Shape);
        ValidateExtent(info, stored, dataLength, path);

        using var scope = NewDisposeScope();
        var cpu = empty(info.Shape, stored, CPU);
        stream.Position = dataStart + info.Begin;
        ReadInto(stream, cpu, info.ByteLength, chunkBytes, path, info.Name);

        var target = targetDtype is { } t && SafeTensorsDType.IsFloatingPoint(stored) && SafeTensorsDType.IsFloatingPoint(t) ? t : stored;
        var result = Place(cpu, target, device ?? CPU);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Converts and moves, converting first when that shrinks what has to be moved.</summary>
    internal static Tensor Place(Tensor tensor, ScalarType target, Device device)
    {
        bool sameDevice = tensor.device.type == device.type && tensor.device.index == device.index;
        if (sameDevice)
        {
            return tensor.dtype == target ? tensor : tensor.to(target);
        }
        if (tensor.dtype != target && SafeTensorsDType.ElementSize(target) < SafeTensorsDType.ElementSize(tensor.dtype))
        {
            return tensor.to(target).to(device);
        }
        var moved = tensor.to(device);
        return moved.dtype == target ? moved : moved.to(target);
    }

    /// <summary>Fills a contiguous CPU tensor from the stream's current position, at most <paramref name="chunkBytes"/> per read.</summary>
    internal static void ReadInto(Stream stream, Tensor tensor, long byteLength, int chunkBytes, string path, string key) =>
        ForEachChunk(tensor, byteLength, chunkBytes, part => ReadExactly(stream, part.bytes, path, key));
}
