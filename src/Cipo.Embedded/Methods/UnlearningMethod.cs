using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Embedded.Methods;

/// <summary>
/// An unlearning method of the benchmark: CiPO, one of its ablations or a baseline. Every method runs through the same
/// loop and stage interfaces (<see cref="ICounterfactualGenerator"/>, <see cref="IPreferencePairBuilder"/>,
/// <see cref="IPreferenceOptimizer"/>); a method only chooses the stages' implementations and settings.
/// </summary>
public sealed class UnlearningMethod
{
    internal UnlearningMethod(string name, string description, bool iterative, Action<IServiceCollection, MethodContext> configure)
    {
        Name = name;
        Description = description;
        Iterative = iterative;
        Configure = configure;
    }

    /// <summary>Short stable name (<c>cipo</c>, <c>ga</c>, <c>npo</c>, …).</summary>
    public string Name { get; }

    /// <summary>One line saying what it does.</summary>
    public string Description { get; }

    /// <summary>Whether it resamples the model and refreshes the rejected side round after round.</summary>
    public bool Iterative { get; }

    /// <summary>Registers the method's stages and options on top of <c>AddCipo</c>.</summary>
    internal Action<IServiceCollection, MethodContext> Configure { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>What a method's configuration may use besides the budget.</summary>
/// <param name="Budget">The shared optimisation budget.</param>
/// <param name="GroundTruth">
/// The known (leaking) trajectory of every forget prompt: the forget set the one-shot baselines optimise against, as
/// TOFU's forget split. CiPO does not use it (it samples the model's own leaks).
/// </param>
/// <param name="IdkAnswer">The fixed answer of the "I don't know" baselines.</param>
/// <param name="Seed">Seed of sampling and optimisation.</param>
internal sealed record MethodContext(MethodBudget Budget, IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth, string IdkAnswer, long Seed);
