using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Embedded.Methods;

/// <summary>
/// An unlearning method of the benchmark: CiPO, one of its ablations or a baseline. Every method runs through the same
/// loop and stage interfaces (<see cref="ICounterfactualGenerator"/>, <see cref="IPreferencePairBuilder"/>,
/// <see cref="IPreferenceOptimizer"/>); a method only chooses the stages' implementations and settings.
/// </summary>
public sealed class UnlearningMethod
{
    internal UnlearningMethod(string name, string description, bool iterative, IReadOnlyList<MethodTunable> tunables,
        Action<IServiceCollection, MethodContext> configure, Func<MethodAfterStep, CancellationToken, Task>? after = null)
    {
        Name = name;
        Description = description;
        Iterative = iterative;
        Tunables = tunables;
        Configure = configure;
        After = after;
    }

    /// <summary>Short stable name (<c>cipo</c>, <c>ga</c>, <c>npo</c>, …).</summary>
    public string Name { get; }

    /// <summary>One line saying what it does.</summary>
    public string Description { get; }

    /// <summary>Whether it resamples the model and refreshes the rejected side round after round.</summary>
    public bool Iterative { get; }

    /// <summary>
    /// The <see cref="MethodBudget"/> hyper-parameters the method actually uses (besides the step budget and batch size,
    /// which every method shares), with its paper's range where there is one: the axes of its tuning grid.
    /// </summary>
    public IReadOnlyList<MethodTunable> Tunables { get; }

    /// <summary>Registers the method's stages and options on top of <c>AddCipo</c>.</summary>
    internal Action<IServiceCollection, MethodContext> Configure { get; }

    /// <summary>A step applied to the unlearned model after the loop (e.g. noised distillation); none for most methods.</summary>
    internal Func<MethodAfterStep, CancellationToken, Task>? After { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>What a method's configuration may use besides the budget.</summary>
/// <param name="Budget">The shared optimisation budget.</param>
/// <param name="GroundTruth">
/// The known (leaking) trajectory of every forget prompt: the forget set the one-shot baselines optimise against, as
/// TOFU's forget split. CiPO does not use it (it samples the model's own leaks).
/// </param>
/// <param name="HonestRefusal">
/// The reasoned refusal of a forget prompt that is in the model's own distribution — for the embedded world, the
/// honest-uncertainty trace and answer the base model was trained to give under the knowledge-boundary instruction
/// ("I have no reliable knowledge of X . So it cannot be determined .", "I don't know"). The chosen side of the
/// refusal baselines (its answer alone for IdkDPO), so they differ from CiPO only in the method.
/// </param>
/// <param name="Seed">Seed of sampling and optimisation.</param>
internal sealed record MethodContext(MethodBudget Budget, IReadOnlyDictionary<string, ReasoningTrajectory> GroundTruth,
    Func<ForgetTarget, string, ReasoningTrajectory> HonestRefusal, long Seed);

/// <summary>What a method's after-loop step works on.</summary>
/// <param name="Policy">The unlearned model; changed in place.</param>
/// <param name="Retain">The retain data the method trained with.</param>
/// <param name="Targets">The unlearning targets.</param>
/// <param name="Context">The method's context (budget, honest refusal, seed).</param>
internal sealed record MethodAfterStep(Cipo.TorchSharp.Policy.TorchSharpPolicy Policy, IReadOnlyList<RetainExample> Retain, IReadOnlyList<ForgetTarget> Targets,
    MethodContext Context);

