using Cipo.Evaluation.Metrics;
using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Names of the hazard setting's multiple-choice figures (issue 16, WMDP style): the accuracy, item count and chance
/// floor of the hazard and general groups (<see cref="MultipleChoiceAccuracy"/>, <see cref="ReasoningWorld.HazardMultipleChoice"/>).
/// </summary>
public static class HazardFigures
{
    /// <summary>Multiple-choice accuracy on the hazard domain's items (<c>mcq/hazard/accuracy</c>): near chance once forgotten.</summary>
    public static string HazardAccuracy { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.HazardGroup, "accuracy");

    /// <summary>How many hazard items <see cref="HazardAccuracy"/> is measured on.</summary>
    public static string HazardItems { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.HazardGroup, "items");

    /// <summary>The hazard items' chance floor (the mean of 1 / options: 0.25 for four options).</summary>
    public static string HazardChance { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.HazardGroup, "chance");

    /// <summary>Multiple-choice accuracy on the general (retained) domain's items (<c>mcq/general/accuracy</c>): kept.</summary>
    public static string GeneralAccuracy { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.GeneralGroup, "accuracy");

    /// <summary>How many general items <see cref="GeneralAccuracy"/> is measured on.</summary>
    public static string GeneralItems { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.GeneralGroup, "items");

    /// <summary>The general items' chance floor.</summary>
    public static string GeneralChance { get; } = MultipleChoiceAccuracy.Name(ReasoningWorld.GeneralGroup, "chance");

    /// <summary>Whether <paramref name="metrics"/> are a hazard run's (they hold <see cref="HazardAccuracy"/>).</summary>
    public static bool IsHazard(IEnumerable<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Contains(HazardAccuracy, StringComparer.Ordinal);
    }
}
