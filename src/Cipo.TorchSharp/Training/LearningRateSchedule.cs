namespace Cipo.TorchSharp.Training;

/// <summary>Learning rate of an optimizer step: linear warm-up, then constant or cosine decay to 0.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// The rate for 0-based <paramref name="step"/> of <paramref name="totalSteps"/>: peak·(step+1)/(warmup+1) during
    /// warm-up; then the peak (<c>constant</c>) or peak·½(1 + cos(π·p)) with p = (step − warmup)/(total − warmup) (<c>cosine</c>).
    /// </summary>
    public static double At(int step, int totalSteps, double peak, int warmupSteps, string scheduler)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / (warmupSteps + 1);
        }
        return scheduler switch
        {
            "constant" => peak,
            "cosine" => peak * 0.5 * (1 + Math.Cos(Math.PI * (step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps))),
            _ => throw new ArgumentException($"Unknown scheduler '{scheduler}'; valid: {string.Join(", ", PreferenceOptimizerOptions.Schedulers)}.", nameof(scheduler)),
        };
    }
}
