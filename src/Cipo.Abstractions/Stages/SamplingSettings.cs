namespace Cipo;

/// <summary>How to sample from the policy.</summary>
/// <param name="MaxNewTokens">Most tokens generated per completion.</param>
/// <param name="Temperature">Softmax temperature; 0 means greedy.</param>
/// <param name="TopP">Nucleus threshold (1 = off).</param>
/// <param name="TopK">Top-k cutoff (0 = off).</param>
/// <param name="Seed">Seed of the sampler, for reproducible runs.</param>
public sealed record SamplingSettings(int MaxNewTokens, double Temperature = 0, double TopP = 1, int TopK = 0, long Seed = 0)
{
    /// <summary>Whether decoding is greedy.</summary>
    public bool IsGreedy => Temperature <= 0;
}
