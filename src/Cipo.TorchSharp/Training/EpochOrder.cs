namespace Cipo.TorchSharp.Training;

/// <summary>Hands out indices 0..n−1 in a freshly shuffled order every pass, cycling as needed.</summary>
internal sealed class EpochOrder(int count, Random random, int dropRemainderAt)
{
    private int[] _order = [];
    private int _position;

    /// <summary>
    /// The next up to <paramref name="take"/> indices. A pass ends early rather than mix epochs in one step when
    /// <c>dropRemainderAt</c> is positive (the last step of an epoch may be smaller); otherwise indices wrap into the next pass.
    /// </summary>
    public int[] Next(int take)
    {
        if (count == 0)
        {
            return [];
        }
        var result = new List<int>(take);
        while (result.Count < take)
        {
            if (_position >= _order.Length)
            {
                if (dropRemainderAt > 0 && result.Count > 0)
                {
                    break;
                }
                _order = Enumerable.Range(0, count).ToArray();
                random.Shuffle(_order);
                _position = 0;
            }
            result.Add(_order[_position++]);
        }
        return [.. result];
    }
}
