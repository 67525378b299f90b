// Hand-written: no maintained .NET ROUGE package is in the feed, and the benchmark needs rouge_score's exact tokenizer.
namespace Cipo.Evaluation.Metrics;

/// <summary>The ROUGE-L scores of one candidate against one reference.</summary>
/// <param name="Precision">LCS / candidate tokens (0 for an empty candidate).</param>
/// <param name="Recall">LCS / reference tokens (0 for an empty reference).</param>
/// <param name="F1">2PR / (P + R), 0 when both are 0.</param>
public readonly record struct RougeLScore(double Precision, double Recall, double F1);

/// <summary>
/// ROUGE-L (Lin 2004, longest common subsequence of tokens) as Google's <c>rouge_score</c> package computes it with
/// <c>use_stemmer=False</c> — the scorer MUSE (Shi et al. 2024) uses for VerbMem and KnowMem (its <c>EvalLogger</c>
/// reports <c>rougeL</c> = F1 and <c>rougeL_recall</c>). Tokens: the text lower-cased, every run of characters other than
/// ASCII <c>a–z</c> and <c>0–9</c> a separator (so accented letters separate words, as in <c>rouge_score</c>).
/// </summary>
public static class RougeL
{
    /// <summary>Scores <paramref name="candidate"/> (the model's output) against <paramref name="reference"/> (the ground truth).</summary>
    public static RougeLScore Compute(string reference, string candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        string[] r = Tokenize(reference), c = Tokenize(candidate);
        if (r.Length == 0 || c.Length == 0)
        {
            return new RougeLScore(0, 0, 0);
        }
        int lcs = LongestCommonSubsequence(r, c);
        double precision = (double)lcs / c.Length, recall = (double)lcs / r.Length;
        return new RougeLScore(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0);
    }

    /// <summary><c>rouge_score</c>'s default tokenizer without stemming.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (char ch in text.ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                current.Append(ch);
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        return [.. tokens];
    }

    /// <summary>LCS length with two rows of the dynamic programme: O(|a|·|b|) time, O(|b|) memory.</summary>
    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (string x in a)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = string.Equals(x, b[j - 1], StringComparison.Ordinal) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
