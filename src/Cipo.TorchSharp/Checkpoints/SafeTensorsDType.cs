using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>The safetensors dtypes this library reads and writes, and their TorchSharp counterparts.</summary>
public static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type, int Size)[] s_table =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>The supported dtype names: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL.</summary>
    public static IReadOnlyList<string> Supported { get; } = s_table.Select(e => e.Name).ToArray();

    /// <summary>Maps a safetensors dtype name (case-sensitive, as in the format) to a TorchSharp scalar type.</summary>
    /// <param name="dtype">A dtype name such as <c>BF16</c>.</param>
    /// <param name="type">The scalar type, when supported.</param>
    /// <returns>Whether the dtype is supported.</returns>
    public static bool TryGetScalarType(string dtype, out ScalarType type)
    {
        foreach (var e in s_table)
        {
            if (string.Equals(e.Name, dtype, StringComparison.Ordinal))
            {
                type = e.Type;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Maps a TorchSharp scalar type to its safetensors dtype name.</summary>
    /// <param name="type">A scalar type.</param>
    /// <param name="dtype">The dtype name, when the type is supported.</param>
    /// <returns>Whether the type can be stored.</returns>
    public static bool TryGetName(ScalarType type, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string dtype)
    {
        foreach (var e in s_table)
        {
            if (e.Type == type)
            {
                dtype = e.Name;
                return true;
            }
        }
        dtype = null;
        return false;
    }

    /// <summary>Size in bytes of one element of a scalar type that safetensors supports.</summary>
    /// <param name="type">A supported scalar type.</param>
    /// <exception cref="NotSupportedException">The type has no safetensors dtype here.</exception>
    public static int ElementSize(ScalarType type)
    {
        foreach (var e in s_table)
        {
            if (e.Type == type)
            {
                return e.Size;
            }
        }
        throw new NotSupportedException($"Scalar type {type} cannot be stored in safetensors by this library; supported: {string.Join(", ", Supported)}.");
    }

    /// <summary>Whether <paramref name="type"/> is one of the floating-point types F64, F32, F16, BF16.</summary>
    /// <param name="type">A scalar type.</param>
    public static bool IsFloatingPoint(ScalarType type) =>
        type is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;
}
