using static TorchSharp.torch;

namespace Cipo.TorchSharp.Checkpoints;

public static partial class SafeTensorsFile
{
    /// <summary>
    /// Hands <paramref name="tensor"/> (contiguous, CPU) to <paramref name="action"/> whole when it holds at most
    /// <paramref name="chunkBytes"/> bytes, else as consecutive views of at most that size, so reading and writing
    /// a multi-gigabyte tensor never touches one huge span at once. Shared by <see cref="ReadInto"/> and <see cref="WriteFrom"/>.
    /// </summary>
    internal static void ForEachChunk(Tensor tensor, long byteLength, int chunkBytes, Action<Tensor> action)
    {
        if (byteLength == 0)
        {
            return;
        }
        if (byteLength <= chunkBytes)
        {
            action(tensor);
            return;
        }
        using var flat = tensor.view(-1);
        long total = flat.shape[0];
        long perChunk = Math.Max(1, chunkBytes / tensor.ElementSize);
        for (long start = 0; start < total; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, total - start));
            action(part);
        }
    }
}
