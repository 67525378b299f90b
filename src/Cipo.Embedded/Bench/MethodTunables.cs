using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Bench;

/// <summary>Which of the budget's hyper-parameters a method actually uses (the axes of its tuning grid).</summary>
/// <param name="BetaRange">The β range its paper uses, or null when its loss has no β.</param>
/// <param name="UsesRetainWeight">Whether it trains on the retain data with <see cref="MethodBudget.RetainWeight"/>.</param>
internal sealed record MethodTunables((double Low, double High)? BetaRange, bool UsesRetainWeight)
{
    /// <summary>The tunables of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">A method this table does not know (every method must be added here).</exception>
    public static MethodTunables Of(UnlearningMethod method) => method.Name switch
    {
        "cipo" or "cipo-single-round" or "cipo-answer-only" or "idk-dpo" => new((0.1, 0.5), true),
        "npo" => new((0.1, 0.5), true),
        "simnpo" => new((2.5, 4.5), true),
        "graddiff" or "reasoned-idk" => new(null, true),
        "ga" => new(null, false),
        _ => throw new ArgumentException($"No tuning axes are declared for method '{method.Name}'.", nameof(method)),
    };
}
