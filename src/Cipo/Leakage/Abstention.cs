using System.Text.RegularExpressions;

namespace Cipo.Leakage;

/// <summary>
/// Whether a text says the answer is not known ("I don't know", "cannot be determined", "no reliable knowledge", …): one
/// rule for the logical-consistency constraint of counterfactuals, the audit's consistency metric and its degenerate-output
/// detector.
/// </summary>
public static partial class Abstention
{
    [GeneratedRegex(@"\b(cannot be determined|can ?not be determined|can ?not determine|can't determine|not known|unknown|do not know|don't know|dont know|no reliable|not sure|cannot say|can't say|unable to (determine|say|know))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Phrases();

    /// <summary>Whether <paramref name="text"/> states that the answer is unknown.</summary>
    public static bool IsStatedIn(string? text) => !string.IsNullOrEmpty(text) && Phrases().IsMatch(text);
}
