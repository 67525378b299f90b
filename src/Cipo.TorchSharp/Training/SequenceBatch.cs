using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>Right-padded batches of <see cref="TokenizedSequence"/> and token-budget micro-batching.</summary>
internal static class SequenceBatch
{
    /// <summary>ids, attention mask and completion mask, all [B, T] int64, right-padded with id 0 (masked out).</summary>
    public static (Tensor Ids, Tensor Attention, Tensor Completion) Build(IReadOnlyList<TokenizedSequence> rows, Device device)
    {
        int t = Math.Max(2, rows.Max(r => r.Length));
        long[] ids = new long[rows.Count * t], attention = new long[rows.Count * t], completion = new long[rows.Count * t];
        for (int i = 0; i < rows.Count; i++)
        {
            TokenizedSequence row = rows[i];
            int offset = i * t;
            for (int j = 0; j < row.PromptIds.Length; j++)
            {
                ids[offset + j] = row.PromptIds[j];
                attention[offset + j] = 1;
            }
            for (int j = 0; j < row.CompletionIds.Length; j++)
            {
                ids[offset + row.PromptIds.Length + j] = row.CompletionIds[j];
                attention[offset + row.PromptIds.Length + j] = 1;
                completion[offset + row.PromptIds.Length + j] = 1;
            }
        }
        long[] shape = [rows.Count, t];
        return (tensor(ids, shape, device: device), tensor(attention, shape, device: device), tensor(completion, shape, device: device));
    }

    /// <summary>Per-token values (one per scored token of each row) laid out as a [B, T] tensor matching <see cref="Build"/>, zero elsewhere.</summary>
    public static Tensor Scatter(IReadOnlyList<TokenizedSequence> rows, IReadOnlyList<double[]> values, long t, ScalarType dtype, Device device)
    {
        double[] data = new double[rows.Count * t];
        for (int i = 0; i < rows.Count; i++)
        {
            Array.Copy(values[i], 0, data, i * t + rows[i].FirstScoredPosition, values[i].Length);
        }
        return tensor(data, [rows.Count, t], device: device).to(dtype);
    }

    /// <summary>Scored per-token values of each row of a [B, T] tensor from <see cref="Build"/>.</summary>
    public static double[][] Gather(IReadOnlyList<TokenizedSequence> rows, Tensor perToken)
    {
        using Tensor cpu = perToken.detach().to(ScalarType.Float64).cpu();
        double[] data = cpu.data<double>().ToArray();
        long t = perToken.shape[1];
        return rows.Select((r, i) => data.AsSpan((int)(i * t) + r.FirstScoredPosition, r.ScoredCount).ToArray()).ToArray();
    }

    /// <summary>
    /// Splits <paramref name="items"/> (in order) into consecutive groups whose padded cost — rows × longest length —
    /// stays within <paramref name="maxTokens"/>; a single item over the budget forms its own group.
    /// </summary>
    public static List<List<T>> Split<T>(IEnumerable<T> items, int rowsPerItem, Func<T, int> length, int maxTokens)
    {
        var groups = new List<List<T>>();
        var current = new List<T>();
        int longest = 0;
        foreach (T item in items)
        {
            int len = Math.Max(2, length(item));
            int newLongest = Math.Max(longest, len);
            if (current.Count > 0 && (long)(current.Count + 1) * rowsPerItem * newLongest > maxTokens)
            {
                groups.Add(current);
                current = [];
                newLongest = len;
            }
            current.Add(item);
            longest = newLongest;
        }
        if (current.Count > 0)
        {
            groups.Add(current);
        }
        return groups;
    }
}
