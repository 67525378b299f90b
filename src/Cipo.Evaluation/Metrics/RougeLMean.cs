namespace Cipo.Evaluation.Metrics;

/// <summary>The mean ROUGE-L F1 of paired references and candidates: the common core of <see cref="VerbMem"/> and <see cref="KnowMem"/>.</summary>
internal static class RougeLMean
{
    public static double Compute(IReadOnlyList<string> references, IReadOnlyList<string> candidates, string referencesName, string candidatesName)
    {
        ArgumentNullException.ThrowIfNull(references, referencesName);
        ArgumentNullException.ThrowIfNull(candidates, candidatesName);
        if (references.Count == 0)
        {
            throw new ArgumentException("Need at least one item.", referencesName);
        }
        if (candidates.Count != references.Count)
        {
            throw new ArgumentException($"Got {candidates.Count} candidates for {references.Count} references; they are paired by position.", candidatesName);
        }
        double sum = 0;
        for (int i = 0; i < references.Count; i++)
        {
            sum += RougeL.Compute(references[i], candidates[i]).F1;
        }
        return sum / references.Count;
    }
}
