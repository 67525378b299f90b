using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

public static partial class SafeTensorsFile
{
    /// <summary>
    /// Writes tensors to a safetensors file, atomically: the file is written under a temporary name beside
    /// <paramref name="path"/>, flushed to disk and moved over it only once complete. Keys are sorted (ordinal) and the data follows
    /// in that order; the header is padded with spaces to a multiple of 8 bytes. Tensors are copied to the CPU and made
    /// contiguous one at a time, so memory use stays at about one tensor. Conversion to BF16 or F16 rounds to nearest even.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">Tensors by name; they are not modified or disposed.</param>
    /// <param name="storeAs">The dtype for floating-point tensors (F64, F32, F16 or BF16); their own dtype when null. Integer and bool tensors keep theirs.</param>
    /// <param name="metadata">Optional string metadata written as <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved, a tensor's dtype cannot be stored, or <paramref name="storeAs"/> is not floating-point.</exception>
    /// <exception cref="IOException">The disk is full, read-only or not writable; the message names the file and the bytes needed. The temporary file is removed.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, ScalarType? storeAs = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (storeAs is { } s && !SafeTensorsDType.IsFloatingPoint(s))
        {
            throw new ArgumentException($"storeAs must be a floating-point type (Float64, Float32, Float16, BFloat16), not {s}.", nameof(storeAs));
        }

        var plan = PlanFile(tensors, storeAs);
        byte[] header = BuildHeader(plan, metadata);

        long bytes = 8 + header.Length + (plan.Count == 0 ? 0 : plan[^1].End);
        Internal.AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var entry in plan)
            {
                WriteTensor(stream, entry);
            }
        }, bytes, bufferSize: 1 << 20);
    }

    internal sealed record PlannedTensor(string Name, Tensor Tensor, ScalarType StoredType, string DType, long[] Shape, long Begin, long End);

    /// <summary>Names, dtypes, shapes and offsets for the data section, keys in ordinal order.</summary>
    internal static List<PlannedTensor> PlanFile(IReadOnlyDictionary<string, Tensor> tensors, ScalarType? storeAs)
    {
        var plan = new List<PlannedTensor>(tensors.Count);
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey)
            {
                throw new ArgumentException($"'{name}' cannot be used as a tensor name.", nameof(tensors));
            }
            if (tensor is null)
            {
                throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            }
            var type = StoredType(tensor.dtype, storeAs, name);
            SafeTensorsDType.TryGetName(type, out var dtype);
            var shape = tensor.shape.ToArray();
            long bytes = checked(tensor.numel() * SafeTensorsDType.ElementSize(type));
            plan.Add(new PlannedTensor(name, tensor, type, dtype!, shape, offset, offset + bytes));
            offset = checked(offset + bytes);
        }
        return plan;
    }

    internal static ScalarType StoredType(ScalarType type, ScalarType? storeAs, string name)
    {
        if (!SafeTensorsDType.TryGetName(type, out _))
        {
            throw new ArgumentException(
                $"Tensor '{name}' has dtype {type}, which cannot be stored; supported: {string.Join(", ", SafeTensorsDType.Supported)}.", nameof(name));
        }
        return storeAs is { } s && SafeTensorsDType.IsFloatingPoint(type) ? s : type;
    }

    internal static long ByteLength(IEnumerable<KeyValuePair<string, Tensor>> tensors, ScalarType? storeAs) =>
        tensors.Sum(p => checked(p.Value.numel() * SafeTensorsDType.ElementSize(StoredType(p.Value.dtype, storeAs, p.Key))));

    private static byte[] BuildHeader(List<PlannedTensor> plan, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value ?? throw new ArgumentException($"Metadata value for '{key}' is null.", nameof(metadata)));
                }
                writer.WriteEndObject();
            }
            foreach (var entry in plan)
            {
                writer.WriteStartObject(entry.Name);
                writer.WriteString("dtype", entry.DType);
                writer.WriteStartArray("shape");
                foreach (long d in entry.Shape)
                {
                    writer.WriteNumberValue(d);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(entry.Begin);
                writer.WriteNumberValue(entry.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int length = buffer.WrittenCount;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    private static void WriteTensor(Stream stream, PlannedTensor entry, int chunkBytes = DefaultChunkBytes)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var cpu = Place(entry.Tensor.detach(), entry.StoredType, CPU).contiguous();
        long bytes = entry.End - entry.Begin;
        if (cpu.numel() * cpu.ElementSize != bytes)
        {
            throw new InvalidOperationException($"Tensor '{entry.Name}' changed size while being saved.");
        }
        WriteFrom(stream, cpu, bytes, chunkBytes);
    }

    /// <summary>Writes a contiguous CPU tensor's storage, at most <paramref name="chunkBytes"/> per write.</summary>
    internal static void WriteFrom(Stream stream, Tensor tensor, long byteLength, int chunkBytes) =>
        ForEachChunk(tensor, byteLength, chunkBytes, part => stream.Write(part.bytes));
}
