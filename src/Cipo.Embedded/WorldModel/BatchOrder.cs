namespace Cipo.Embedded.WorldModel;

/// <summary>
/// Mini-batches of example indices: every example once per epoch in a seeded random order, with similar lengths put
/// together so little of each padded batch is padding (on a CPU, padding is most of the cost of mixing 40-token facts
/// with 100-token column traces).
/// </summary>
internal sealed class BatchOrder(int[] lengths, int batchSize, Random random)
{
    /// <summary>Batches pooled before sorting by length: large enough to group lengths, small enough to stay random.</summary>
    private const int PoolBatches = 16;

    private readonly Queue<int[]> _ready = new();
    private int[] _epoch = [];
    private int _cursor;

    /// <summary>The next batch of indices (always <c>batchSize</c> of them).</summary>
    public int[] Next()
    {
        if (_ready.Count == 0) Refill();
        return _ready.Dequeue();
    }

    private void Refill()
    {
        var pool = new List<int>(batchSize * PoolBatches);
        while (pool.Count < batchSize * PoolBatches)
        {
            if (_cursor == _epoch.Length)
            {
                _epoch = Enumerable.Range(0, lengths.Length).ToArray();
                random.Shuffle(_epoch);
                _cursor = 0;
            }
            pool.Add(_epoch[_cursor++]);
        }
        // Stable sort by length (ties keep the random order), cut into batches, then shuffle the batches.
        int[][] chunks = pool.OrderBy(i => lengths[i]).Chunk(batchSize).ToArray();
        random.Shuffle(chunks);
        foreach (int[] chunk in chunks) _ready.Enqueue(chunk);
    }
}
