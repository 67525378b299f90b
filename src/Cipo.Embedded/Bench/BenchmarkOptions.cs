using System.ComponentModel.DataAnnotations;
using Cipo.Embedded.Experiments;
using Cipo.Embedded.Methods;
using Cipo.Evaluation.Reports;

namespace Cipo.Embedded.Bench;

/// <summary>Settings of <see cref="BenchmarkRunner"/>: the experiment, the methods and the worlds.</summary>
public sealed class BenchmarkOptions
{
    /// <summary>
    /// The world experiment (model, split, probes, audit, budget); its world seed is replaced by each of <see cref="Worlds"/>.
    /// The default value is the default benchmark.
    /// </summary>
    public WorldExperimentOptions Experiment { get; set; } = new();

    /// <summary>
    /// World seeds. Each world has its own people, forget split, roles and probes, its own base and retrained model
    /// (trained once and cached); every method runs once per world, with the world's seed as its own seed. Results are
    /// reported as mean ± standard deviation across worlds. The default value is 1, 2, 3.
    /// </summary>
    public IReadOnlyList<int> Worlds { get; set; } = [1, 2, 3];

    /// <summary>Method names (<see cref="UnlearningMethods.All"/>). The default value is every method.</summary>
    public IReadOnlyList<string> Methods { get; set; } = UnlearningMethods.All.Select(m => m.Name).ToArray();

    /// <summary>
    /// How many (method, seed) runs go side by side, 1–64. Each run holds its own copy of the base model; with one torch
    /// thread per run (<c>cipo bench</c>'s default) one run per core keeps every core busy, and the results are the same as
    /// one after the other (each run has its own seeds and random streams).
    /// The default value is the number of processors, at most 8.
    /// </summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// Tune every method before the benchmark: its <see cref="TuningGrid"/> points (the same number for every method) on
    /// <see cref="TuningWorld"/>, audited on that world's validation probes; each method then runs on every world with its
    /// chosen point. Off by default (every method runs the shared <see cref="WorldExperimentOptions.Budget"/>).
    /// </summary>
    public bool Tune { get; set; }

    /// <summary>
    /// The world whose validation probes choose the points; the first of <see cref="Worlds"/> when null. A world outside
    /// <see cref="Worlds"/> is prepared for tuning only and never reported.
    /// </summary>
    public int? TuningWorld { get; set; }

    /// <summary>
    /// Chosen points from an earlier tuned benchmark (its results.json's <c>tuning</c>): every method runs its chosen point
    /// without tuning again. Each method needs a choice, and the choice must be a point of the method's grid on
    /// <see cref="WorldExperimentOptions.Budget"/>. Not with <see cref="Tune"/>. Null by default.
    /// </summary>
    public BenchmarkTuning? TunedPoints { get; set; }

    /// <summary>
    /// The sequential setting (many requests over time): the forget split's people in this many consecutive requests,
    /// applied one after another to one copy of the base model per method and world, each audited on every target so far
    /// (<see cref="WorldExperiment.RunSequentialAsync"/>). Null (the default) runs the standard one-request benchmark.
    /// </summary>
    [Range(2, 1000)]
    public int? SequentialRequests { get; set; }

    /// <summary>
    /// The fact-update setting (issue 16): instead of forgetting them, every method replaces the forgotten people's
    /// birthplaces with new cities (<see cref="WorldExperiment.PrepareFactUpdateAsync"/>), measured against a model trained
    /// from scratch on the updated world. The methods may include <see cref="UnlearningMethods.FactUpdateBaselines"/>.
    /// Not with <see cref="SequentialRequests"/>. Off by default.
    /// </summary>
    public bool FactUpdate { get; set; }

    /// <summary>The methods of <c>cipo bench --fact-update</c> when none are given: CiPO and the plain SFT-on-new-fact baseline.</summary>
    public static IReadOnlyList<string> FactUpdateMethods { get; } = [UnlearningMethods.Cipo.Name, UnlearningMethods.NewFactSft.Name];

    /// <summary>
    /// The copyrighted-passage setting (issue 16, MUSE's setting on the embedded world): the world has one passage per
    /// work, the passages of a fraction of the known people's works (<see cref="WorldExperimentOptions.ForgetFraction"/>)
    /// are forgotten, and every method is measured by MUSE's VerbMem and KnowMem on forgotten and retained passages and
    /// the verbatim leak (<see cref="WorldExperiment.PreparePassagesAsync"/>), against a model retrained without the
    /// forgotten passages. Not with <see cref="FactUpdate"/> or <see cref="SequentialRequests"/>. Off by default.
    /// </summary>
    public bool Passages { get; set; }

    /// <summary>The methods of <c>cipo bench --passages</c> when none are given: CiPO and the reasoned-refusal baselines (SFT and DPO).</summary>
    public static IReadOnlyList<string> PassageMethods { get; } = [UnlearningMethods.Cipo.Name, UnlearningMethods.ReasonedIdkSft.Name, UnlearningMethods.ReasonedIdk.Name];

    /// <summary>
    /// The hazardous-knowledge setting (issue 16, as WMDP measures it): the worlds carry the fictitious hazard domain
    /// (<see cref="Cipo.Evaluation.World.WorldOptions.HazardDomain"/>) and every method forgets it
    /// (<see cref="WorldExperiment.PrepareHazardAsync"/>), measured by multiple-choice accuracy on the hazard and general
    /// domains and hazard content in traces, against a model retrained without the hazard questions. Not with
    /// <see cref="FactUpdate"/> or <see cref="SequentialRequests"/>. Off by default.
    /// </summary>
    public bool Hazard { get; set; }

    /// <summary>The methods of <c>cipo bench --hazard</c> when none are given: CiPO and the two best baselines of the full benchmark.</summary>
    public static IReadOnlyList<string> HazardMethods { get; } = [UnlearningMethods.Cipo.Name, UnlearningMethods.ReasonedIdkSft.Name, UnlearningMethods.ReasonedIdk.Name];

    /// <summary>The quick benchmark of <c>cipo bench --quick</c>: one world and the quick experiment.</summary>
    public static BenchmarkOptions Quick() => new() { Experiment = WorldExperimentOptions.Quick(), Worlds = [1] };

    /// <summary>Returns these options when valid: parallelism, worlds (at least one, all different), known methods and the experiment.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public BenchmarkOptions Validated() => BenchmarkOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="BenchmarkOptions"/>: its data annotations, worlds, methods and experiment.</summary>
internal sealed class BenchmarkOptionsValidator : Cipo.Internal.OptionsValidator<BenchmarkOptions>
{
    /// <summary>The instance <see cref="BenchmarkOptions.Validated"/> runs.</summary>
    public static BenchmarkOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(BenchmarkOptions o)
    {
        if (o.Worlds is null || o.Worlds.Count == 0) yield return "BenchmarkOptions.Worlds: at least one world is needed.";
        else if (o.Worlds.Distinct().Count() != o.Worlds.Count) yield return $"BenchmarkOptions.Worlds must differ: {string.Join(",", o.Worlds)}.";
        if (o.Methods is null || o.Methods.Count == 0) yield return "BenchmarkOptions.Methods: at least one method is needed.";
        else
        {
            IEnumerable<UnlearningMethod> known = o.FactUpdate ? UnlearningMethods.All.Concat(UnlearningMethods.FactUpdateBaselines) : UnlearningMethods.All;
            foreach (string m in o.Methods.Where(m => known.All(x => x.Name != m)))
            {
                yield return UnlearningMethods.FactUpdateBaselines.Any(x => x.Name == m)
                    ? $"BenchmarkOptions.Methods: '{m}' updates facts; it runs only in the fact-update setting (BenchmarkOptions.FactUpdate)."
                    : $"BenchmarkOptions.Methods: unknown method '{m}' (known: {string.Join(", ", known.Select(x => x.Name))}).";
            }
        }
        if (o.FactUpdate && o.SequentialRequests is not null) yield return "BenchmarkOptions.FactUpdate: the fact-update and sequential settings are separate benchmarks; choose one.";
        if (o.Passages && o.FactUpdate) yield return "BenchmarkOptions.Passages: the passage and fact-update settings are separate benchmarks; choose one.";
        if (o.Passages && o.SequentialRequests is not null) yield return "BenchmarkOptions.Passages: the passage and sequential settings are separate benchmarks; choose one.";
        if (o.Hazard && o.Passages) yield return "BenchmarkOptions.Hazard: the hazard and passage settings are separate benchmarks; choose one.";
        if (o.Hazard && o.FactUpdate) yield return "BenchmarkOptions.Hazard: the hazard and fact-update settings are separate benchmarks; choose one.";
        if (o.Hazard && o.SequentialRequests is not null) yield return "BenchmarkOptions.Hazard: the hazard and sequential settings are separate benchmarks; choose one.";
        if (o.Tune && o.TunedPoints is not null) yield return "BenchmarkOptions.TunedPoints: give tuned points or tune, not both.";
        if (o.TunedPoints is { } tuned && o.Methods is not null)
        {
            foreach (string m in o.Methods.Where(m => tuned.Choices.All(c => c.Method != m)))
            {
                yield return $"BenchmarkOptions.TunedPoints: no chosen point for method '{m}' (chosen: {string.Join(", ", tuned.Choices.Select(c => c.Method))}).";
            }
        }
        foreach (string failure in Nested(nameof(o.Experiment), o.Experiment, e => e.Validated()))
        {
            yield return failure;
        }
    }
}
