using System.ComponentModel.DataAnnotations;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.WorldModel;

/// <summary>
/// Everything that decides the embedded default reasoning-world model: the world, the model size and the training
/// schedule. The defaults are the embedded default (a 0.49M-parameter model; 3000 steps of 32 examples).
/// </summary>
public sealed class WorldModelOptions
{
    /// <summary>
    /// The world to learn. The default value is a small world (40 known people, 6 strangers, 6 holdout people, 10 cities,
    /// 4 countries, 8 professions, 2400 plain arithmetic problems) with numbers digit by digit, column-scratchpad arithmetic, 3 age questions per person and template
    /// and 20 further age questions per person and kind under one template each.
    /// </summary>
    public WorldOptions World { get; set; } = DefaultWorld();

    /// <summary>Width of the decoder. Range 16–1024, divisible by <see cref="Heads"/>. The default value is 96.</summary>
    [Range(16, 1024)]
    public int HiddenSize { get; set; } = 96;

    /// <summary>Decoder layers. Range 1–32. The default value is 4.</summary>
    [Range(1, 32)]
    public int Layers { get; set; } = 4;

    /// <summary>
    /// Attention heads. Range 1–64. The default value is 8 (head width 12: more heads at the same cost, measured to copy
    /// the digits of the column traces more reliably than 4).
    /// </summary>
    [Range(1, 64)]
    public int Heads { get; set; } = 8;

    /// <summary>Key/value heads (grouped-query attention); must divide <see cref="Heads"/>. The default value is 4.</summary>
    [Range(1, 64)]
    public int KvHeads { get; set; } = 4;

    /// <summary>Optimizer steps. Range 1–1,000,000. The default value is 3000.</summary>
    [Range(1, 1_000_000)]
    public int Steps { get; set; } = 3000;

    /// <summary>Examples per step. Range 1–4096. The default value is 32.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Peak learning rate of AdamW (cosine decay to 0 after the warm-up). Range (0, 1]. The default value is 0.004.</summary>
    [Range(1e-12, 1.0)]
    public double LearningRate { get; set; } = 4e-3;

    /// <summary>Linear warm-up steps; less than <see cref="Steps"/>. The default value is 50.</summary>
    [Range(0, 1_000_000)]
    public int WarmupSteps { get; set; } = 50;

    /// <summary>AdamW weight decay. Range [0, 1]. The default value is 0.1 (measured: held-out paraphrases generalise better than at 0.01).</summary>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; set; } = 0.1;

    /// <summary>
    /// Share of the training questions about known people that are also trained under a counterfactual instruction, so
    /// the model can write valid counterfactuals itself: half of them under the knowledge-boundary instruction with an
    /// honest "cannot be determined" trace, half under the alternative-path instruction with a trace that sets the
    /// person's facts aside (both strategies together make up this share).
    /// Range [0, 1]. The default value is 0.25.
    /// </summary>
    [Range(0.0, 1.0)]
    public double InstructionFraction { get; set; } = 0.25;

    /// <summary>
    /// Times the 400 column facts of the arithmetic scratchpad (<see cref="WorldModelTrainingSet.ColumnDrills"/>) are in
    /// the training set: short examples that teach the digit table the column traces apply. Range 0–100. The default value is 2.
    /// </summary>
    [Range(0, 100)]
    public int ColumnDrills { get; set; } = 2;

    /// <summary>Seed of the weights, the example order and the instruction choice. The default value is 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Torch intra-op threads while training, set on the training thread and restored afterwards; 0 leaves the process's
    /// setting (<see cref="Cipo.TorchSharp.TorchThreads"/>; <c>cipo demo</c> and <c>cipo bench</c> use 1). Not part of the
    /// cache key, although the last bits of the weights can differ between thread counts. Range 0–256. The default value is 0.
    /// </summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>
    /// Questions per measure when the cache evaluates a freshly trained model (training, held-out paraphrases,
    /// unseen arithmetic, unknown people, counterfactual prompts); 0 skips the evaluation. Range 0–100,000. The default value is 200.
    /// </summary>
    [Range(0, 100_000)]
    public int EvaluationSamples { get; set; } = 200;

    /// <summary>The world of the embedded default.</summary>
    public static WorldOptions DefaultWorld() => new()
    {
        Seed = 1,
        People = 40,
        StrangerPeople = 6,
        HoldoutPeople = 6,
        Cities = 10,
        Countries = 4,
        Professions = 8,
        ArithmeticProblems = 2400,
        AgeQuestionsPerPerson = 3,
        ExtraAgeQuestionsPerPerson = 20,
        SplitDigits = true,
        ArithmeticScratchpad = true,
        ForgetFraction = 0.10,
    };

    /// <summary>
    /// A tiny world (10 known people) and model (one layer, hidden size 32, 40 steps) that trains in seconds: for checking
    /// an installation, CI smoke runs and samples. Its accuracy is far from the default model's; the numbers it produces
    /// mean nothing.
    /// </summary>
    public static WorldModelOptions Smoke() => new()
    {
        World = new WorldOptions
        {
            Seed = 3, People = 10, StrangerPeople = 2, HoldoutPeople = 2, Cities = 4, Countries = 2, Professions = 4,
            ArithmeticProblems = 20, SplitDigits = true, ArithmeticScratchpad = true,
        },
        HiddenSize = 32,
        Layers = 1,
        Heads = 2,
        KvHeads = 1,
        Steps = 40,
        WarmupSteps = 4,
        BatchSize = 16,
        EvaluationSamples = 0,
        Threads = 1,
    };

    /// <summary>Returns these options when valid: the data annotations, the head layout, the warm-up and the world.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public WorldModelOptions Validated() => WorldModelOptionsValidator.Instance.ThrowIfInvalid(this);

    /// <summary>A copy whose <see cref="World"/> is a copy too, so the caller's later changes cannot reach it.</summary>
    public WorldModelOptions Clone()
    {
        var copy = (WorldModelOptions)MemberwiseClone();
        copy.World = World is null ? null! : CloneWorld(World);
        return copy;
    }

    // Every settable property, so a setting added to WorldOptions later is copied (and keyed) without a change here.
    internal static WorldOptions CloneWorld(WorldOptions w)
    {
        var copy = new WorldOptions();
        foreach (System.Reflection.PropertyInfo p in typeof(WorldOptions).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            p.SetValue(copy, p.GetValue(w));
        }
        return copy;
    }
}

/// <summary>The validator of <see cref="WorldModelOptions"/>: its data annotations, the rules between fields and the world.</summary>
internal sealed class WorldModelOptionsValidator : Cipo.Internal.OptionsValidator<WorldModelOptions>
{
    /// <summary>The instance <see cref="WorldModelOptions.Validated"/> runs.</summary>
    public static WorldModelOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(WorldModelOptions o)
    {
        if (o.Heads > 0 && o.HiddenSize % o.Heads != 0) yield return $"WorldModelOptions.HiddenSize must be divisible by Heads ({o.Heads}); got {o.HiddenSize}.";
        if (o.KvHeads > 0 && o.Heads % o.KvHeads != 0) yield return $"WorldModelOptions.KvHeads must divide Heads ({o.Heads}); got {o.KvHeads}.";
        if (o.WarmupSteps >= o.Steps) yield return $"WorldModelOptions.WarmupSteps must be in [0, Steps) = [0, {o.Steps}); got {o.WarmupSteps}.";
        foreach (string failure in Nested(nameof(o.World), o.World, w => w.Validated()))
        {
            yield return failure;
        }
    }
}
