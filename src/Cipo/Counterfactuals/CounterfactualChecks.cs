using System.Text.RegularExpressions;
using Cipo.Leakage;

namespace Cipo;

/// <summary>
/// The logical-consistency constraint of the method: the final answer must follow from the reasoning. It is applied to
/// every counterfactual candidate of every strategy (the policy's own, the teacher's) and scores the audit's consistency
/// metric.
/// </summary>
/// <remarks>
/// <para>The rule looks at the trace's <em>conclusion</em>, its last sentence (split at <c>.</c>, <c>!</c>, <c>?</c> or
/// <c>;</c> before whitespace, or at a line break; a decimal point is no split), because a trace may weigh a fact and
/// set it aside before it concludes:</para>
/// <list type="number">
/// <item>An empty trace or answer fails.</item>
/// <item>An answer that states uncertainty (<see cref="Abstention.IsStatedIn"/>) needs a conclusion that states it too.</item>
/// <item>A definite answer needs a conclusion that does not state uncertainty and holds the answer's content: after
/// <see cref="TextNormalizer"/> normalisation of both (the leakage detector's rule: case, accents, punctuation, digit
/// grouping), every content token of the answer (function words such as <c>the</c>, <c>is</c>, <c>answer</c> left out)
/// is a token of the conclusion. A number also matches when the conclusion writes it digit by digit (<c>1 9 9 0</c>) or
/// whole (<c>1990</c>), whichever way the answer writes it.</item>
/// </list>
/// <para>So <c>"Ann Vell was born in Dorvan ."</c> supports <c>Dorvan</c> and not <c>Karsk</c>; the multi-hop
/// <c>"Ann Vell was born in Dorvan . Dorvan is in Karsk ."</c> supports <c>Karsk</c> (its conclusion), not <c>Dorvan</c>;
/// <c>"I have no reliable knowledge of Ann Vell . So it cannot be determined ."</c> supports <c>I don't know</c> only.</para>
/// </remarks>
public static partial class CounterfactualChecks
{
    // Words that carry no content of an answer: "The answer is Dorvan." must match a conclusion that names Dorvan.
    private static readonly HashSet<string> s_functionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "by", "for", "from", "with", "as", "and", "or",
        "is", "was", "are", "were", "be", "been", "it", "its", "this", "that", "he", "she", "they", "his", "her", "their",
        "so", "answer", "final", "result",
    };

    [GeneratedRegex(@"[.!?;]+(?=\s|$)|\r?\n", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    /// <summary>Whether <paramref name="text"/> states that the answer is unknown (<see cref="Abstention"/>).</summary>
    /// <param name="text">Any text.</param>
    public static bool StatesUncertainty(string text) => Abstention.IsStatedIn(text);

    /// <summary>Whether the answer of <paramref name="trajectory"/> follows from its trace (see <see cref="Check"/>).</summary>
    /// <param name="trajectory">The trajectory to check.</param>
    public static bool IsConsistent(ReasoningTrajectory trajectory) => Check(trajectory).IsConsistent;

    /// <summary>Applies the constraint (see the remarks of <see cref="CounterfactualChecks"/>) and says which rule decided.</summary>
    /// <param name="trajectory">The trajectory to check.</param>
    public static ConsistencyCheck Check(ReasoningTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        string conclusionText = LastSentence(trajectory.ReasoningTrace);
        string conclusion = TextNormalizer.Normalize(conclusionText);
        if (conclusion.Length == 0)
        {
            return new(false, ConsistencyReasons.EmptyTrace, conclusion);
        }
        string answer = TextNormalizer.Normalize(trajectory.Answer);
        if (answer.Length == 0)
        {
            return new(false, ConsistencyReasons.EmptyAnswer, conclusion);
        }

        bool conclusionUncertain = StatesUncertainty(conclusionText);
        if (StatesUncertainty(trajectory.Answer))
        {
            return conclusionUncertain
                ? new(true, ConsistencyReasons.UncertainAnswerFollows, conclusion)
                : new(false, ConsistencyReasons.UncertainAnswerDefiniteConclusion, conclusion);
        }
        if (conclusionUncertain)
        {
            return new(false, ConsistencyReasons.DefiniteAnswerUncertainConclusion, conclusion);
        }
        return ContainsAnswer(conclusion, answer)
            ? new(true, ConsistencyReasons.AnswerInConclusion, conclusion)
            : new(false, ConsistencyReasons.AnswerNotInConclusion, conclusion);
    }

    /// <summary>The last sentence of <paramref name="trace"/> that has a letter or digit, untrimmed of nothing but its end mark.</summary>
    internal static string LastSentence(string? trace)
    {
        if (string.IsNullOrWhiteSpace(trace))
        {
            return string.Empty;
        }
        string[] sentences = SentenceEnd().Split(trace);
        for (int i = sentences.Length - 1; i >= 0; i--)
        {
            if (TextNormalizer.Normalize(sentences[i]).Length > 0)
            {
                return sentences[i].Trim();
            }
        }
        return string.Empty;
    }

    private static bool ContainsAnswer(string conclusion, string answer)
    {
        string[] answerTokens = answer.Split(' ');
        string[] content = answerTokens.Where(t => !s_functionWords.Contains(t)).ToArray();
        if (content.Length == 0)
        {
            content = answerTokens;
        }
        string[] conclusionTokens = conclusion.Split(' ');
        var tokens = new HashSet<string>(conclusionTokens, StringComparer.Ordinal);
        var compactTokens = new HashSet<string>(JoinDigitRuns(conclusionTokens), StringComparer.Ordinal);
        if (content.All(IsNumber))
        {
            // A number, written whole or digit by digit on either side: as a phrase of the conclusion, or as one of its
            // numbers once digit-by-digit runs are joined ("1 9 9 0" is 1990; "40" stays apart from "1990 1950").
            string phrase = string.Join(' ', content);
            return (" " + conclusion + " ").Contains(" " + phrase + " ", StringComparison.Ordinal)
                || compactTokens.Contains(string.Concat(content));
        }
        return content.All(t => tokens.Contains(t) || (IsNumber(t) && compactTokens.Contains(t)));
    }

    private static bool IsNumber(string token) => token.Length > 0 && token.All(c => char.IsDigit(c) || c == '.') && char.IsDigit(token[0]);

    /// <summary>The tokens with every run of single-digit tokens joined into one number (<c>1 9 9 0</c> → <c>1990</c>).</summary>
    private static IEnumerable<string> JoinDigitRuns(string[] tokens)
    {
        var run = new System.Text.StringBuilder();
        foreach (string token in tokens)
        {
            if (token.Length == 1 && char.IsDigit(token[0]))
            {
                run.Append(token);
                continue;
            }
            if (run.Length > 0)
            {
                yield return run.ToString();
                run.Clear();
            }
            yield return token;
        }
        if (run.Length > 0)
        {
            yield return run.ToString();
        }
    }
}
