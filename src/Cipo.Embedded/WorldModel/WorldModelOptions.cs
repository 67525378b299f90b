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
    public int HiddenSize { get; set; } = 96;

    /// <summary>Decoder layers. Range 1–32. The default value is 4.</summary>
    public int Layers { get; set; } = 4;

    /// <summary>
    /// Attention heads. Range 1–64. The default value is 8 (head width 12: more heads at the same cost, measured to copy
    /// the digits of the column traces more reliably than 4).
    /// </summary>
    public int Heads { get; set; } = 8;

    /// <summary>Key/value heads (grouped-query attention); must divide <see cref="Heads"/>. The default value is 4.</summary>
    public int KvHeads { get; set; } = 4;

    /// <summary>Optimizer steps. Range 1–1,000,000. The default value is 3000.</summary>
    public int Steps { get; set; } = 3000;

    /// <summary>Examples per step. Range 1–4096. The default value is 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Peak learning rate of AdamW (cosine decay to 0 after the warm-up). Range (0, 1]. The default value is 0.004.</summary>
    public double LearningRate { get; set; } = 4e-3;

    /// <summary>Linear warm-up steps; less than <see cref="Steps"/>. The default value is 50.</summary>
    public int WarmupSteps { get; set; } = 50;

    /// <summary>AdamW weight decay. Range [0, 1]. The default value is 0.1 (measured: held-out paraphrases generalise better than at 0.01).</summary>
    public double WeightDecay { get; set; } = 0.1;

    /// <summary>
    /// Share of the training questions about known people that are also trained under the knowledge-boundary
    /// instruction with an honest "cannot be determined" trace, so the model can write valid counterfactuals itself.
    /// Range [0, 1]. The default value is 0.25.
    /// </summary>
    public double InstructionFraction { get; set; } = 0.25;

    /// <summary>
    /// Times the 400 column facts of the arithmetic scratchpad (<see cref="WorldModelTrainingSet.ColumnDrills"/>) are in
    /// the training set: short examples that teach the digit table the column traces apply. Range 0–100. The default value is 2.
    /// </summary>
    public int ColumnDrills { get; set; } = 2;

    /// <summary>Seed of the weights, the example order and the instruction choice. The default value is 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Torch intra-op threads while training, set on the training thread and restored afterwards; 0 leaves the process's
    /// setting (<see cref="Cipo.TorchSharp.TorchThreads"/>; <c>cipo demo</c> and <c>cipo bench</c> use 1). Not part of the
    /// cache key, although the last bits of the weights can differ between thread counts. Range 0–256. The default value is 0.
    /// </summary>
    public int Threads { get; set; }

    /// <summary>
    /// Questions per measure when the cache evaluates a freshly trained model (training, held-out paraphrases,
    /// unseen arithmetic, unknown people, counterfactual prompts); 0 skips the evaluation. Range 0–100,000. The default value is 200.
    /// </summary>
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

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message and parameter name name it.</exception>
    public void Validate()
    {
        if (World is null) throw new ArgumentNullException(nameof(World), "WorldModelOptions.World is required.");
        try
        {
            World.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"WorldModelOptions.World.{ex.ParamName}: {ex.Message}", $"{nameof(World)}.{ex.ParamName}", ex);
        }
        Range(nameof(HiddenSize), HiddenSize, 16, 1024);
        Range(nameof(Layers), Layers, 1, 32);
        Range(nameof(Heads), Heads, 1, 64);
        Range(nameof(KvHeads), KvHeads, 1, 64);
        if (HiddenSize % Heads != 0) throw Bad(nameof(HiddenSize), HiddenSize, $"must be divisible by Heads ({Heads})");
        if (Heads % KvHeads != 0) throw Bad(nameof(KvHeads), KvHeads, $"must divide Heads ({Heads})");
        Range(nameof(Steps), Steps, 1, 1_000_000);
        Range(nameof(BatchSize), BatchSize, 1, 4096);
        if (!(LearningRate > 0 && LearningRate <= 1)) throw Bad(nameof(LearningRate), LearningRate, "must be in (0, 1]");
        if (WarmupSteps < 0 || WarmupSteps >= Steps) throw Bad(nameof(WarmupSteps), WarmupSteps, $"must be in [0, Steps) = [0, {Steps})");
        if (!(WeightDecay >= 0 && WeightDecay <= 1)) throw Bad(nameof(WeightDecay), WeightDecay, "must be in [0, 1]");
        if (!(InstructionFraction >= 0 && InstructionFraction <= 1)) throw Bad(nameof(InstructionFraction), InstructionFraction, "must be in [0, 1]");
        Range(nameof(ColumnDrills), ColumnDrills, 0, 100);
        Range(nameof(Threads), Threads, 0, 256);
        Range(nameof(EvaluationSamples), EvaluationSamples, 0, 100_000);
    }

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

    private static void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max) throw Bad(name, value, $"must be in [{min}, {max}]");
    }

    private static ArgumentOutOfRangeException Bad(string name, object value, string rule) =>
        new(name, value, $"WorldModelOptions.{name} {rule}; got {value}.");
}
