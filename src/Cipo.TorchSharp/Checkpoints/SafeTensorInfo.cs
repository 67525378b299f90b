namespace Cipo.TorchSharp.Checkpoints;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">The tensor name (the JSON key).</param>
/// <param name="DType">The safetensors dtype name, such as <c>BF16</c> or <c>F32</c>.</param>
/// <param name="Shape">The dimensions; empty for a scalar.</param>
/// <param name="Begin">Start of the tensor's bytes, relative to the start of the data section (after the header).</param>
/// <param name="End">End (exclusive) of the tensor's bytes, relative to the start of the data section.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of bytes the tensor occupies in the file.</summary>
    public long ByteLength => End - Begin;
}
