using System.Diagnostics;
using System.Text.Json.Nodes;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.TorchSharp.Policy;
using Cipo;

namespace Cipo.Benchmarks;

/// <summary>
/// Trains the embedded default world model (no cache) and measures it: greedy exact-answer accuracies, unseen
/// arithmetic, honest "I don't know", the counterfactual-by-instruction pass rate, training seconds and the CPU load
/// (the load average matters: the machine may be shared).
/// </summary>
internal static class WorldModelBenchmark
{
    public static JsonObject Run(string[] args, int threads, int samples)
    {
        var options = new WorldModelOptions { Threads = threads, EvaluationSamples = samples };
        // Overrides for exploring the configuration; the measurement of the default takes none but --seed.
        if (Machine.IntOption(args, "--seed") is int seed) options.Seed = seed;
        if (Machine.IntOption(args, "--steps") is int steps) (options.Steps, options.WarmupSteps) = (steps, Math.Min(options.WarmupSteps, steps / 10));
        if (Machine.IntOption(args, "--batch-size") is int batch) options.BatchSize = batch;
        if (Machine.IntOption(args, "--hidden") is int hidden) options.HiddenSize = hidden;
        if (Machine.IntOption(args, "--layers") is int layers) options.Layers = layers;
        if (Machine.IntOption(args, "--heads") is int heads) options.Heads = heads;
        if (Machine.IntOption(args, "--kv-heads") is int kvHeads) options.KvHeads = kvHeads;
        if (Machine.IntOption(args, "--people") is int people) options.World.People = people;
        if (Machine.IntOption(args, "--age-questions") is int ages) options.World.AgeQuestionsPerPerson = ages;
        if (Machine.IntOption(args, "--extra-age") is int extraAge) options.World.ExtraAgeQuestionsPerPerson = extraAge;
        if (Machine.IntOption(args, "--arithmetic") is int arithmetic) options.World.ArithmeticProblems = arithmetic;
        if (Machine.IntOption(args, "--drills") is int drills) options.ColumnDrills = drills;
        if (Machine.IntOption(args, "--wd-milli") is int wd) options.WeightDecay = wd / 1000.0;
        if (Machine.IntOption(args, "--lr-milli") is int lr) options.LearningRate = lr / 1000.0;
        string loadBefore = LoadAverage();
        var world = ReasoningWorld.Generate(options.World);
        int examples = WorldModelTrainingSet.Build(world, null, options.InstructionFraction, options.Seed, options.ColumnDrills).Count;
        var progress = new Progress<WorldModelProgress>(p =>
        {
            if (p.Step % Math.Max(1, p.TotalSteps / 20) == 0 || p.Step == p.TotalSteps)
                Console.Error.WriteLine($"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} {p.Elapsed.TotalSeconds:F0}s");
        });
        Stopwatch clock = Machine.Time();
        using TorchSharpPolicy policy = WorldModelTrainer.Train(options, null, progress);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        string loadAfterTraining = LoadAverage();
        global::TorchSharp.torch.set_num_threads(threads);

        clock.Restart();
        WorldModelAccuracy accuracy = WorldModelEvaluation.EvaluateAsync(policy, world, samples, options.Seed).GetAwaiter().GetResult();
        double evalSeconds = clock.Elapsed.TotalSeconds;
        PrintFailures(policy, world, samples);
        int saveAt = Array.IndexOf(args, "--save");
        if (saveAt >= 0) policy.SaveAsync(args[saveAt + 1], CancellationToken.None).GetAwaiter().GetResult();
        return new JsonObject
        {
            ["benchmark"] = "world-model",
            ["machine"] = Machine.Describe(),
            ["load_before"] = loadBefore,
            ["load_after_training"] = loadAfterTraining,
            ["seed"] = options.Seed,
            ["threads"] = threads,
            ["parameters"] = policy.Model.parameters().Sum(p => p.numel()),
            ["vocabulary"] = policy.Tokenizer.VocabularySize,
            ["training_examples"] = examples,
            ["steps"] = options.Steps,
            ["hidden"] = options.HiddenSize,
            ["layers"] = options.Layers,
            ["people"] = options.World.People,
            ["mean_tokens_per_example"] = Machine.Round(MeanTokens(policy, world, options), 1),
            ["batch"] = options.BatchSize,
            ["train_seconds"] = Machine.Round(trainSeconds, 1),
            ["eval_seconds"] = Machine.Round(evalSeconds, 1),
            ["samples_per_measure"] = samples,
            ["acc_training"] = Machine.Round(accuracy.Training, 4),
            ["acc_heldout_paraphrases"] = Machine.Round(accuracy.HeldOutParaphrases, 4),
            ["acc_arithmetic_unseen"] = Machine.Round(accuracy.Arithmetic, 4),
            ["acc_unknown_holdout"] = Machine.Round(accuracy.Unknown, 4),
            ["counterfactual_pass_rate"] = Machine.Round(accuracy.CounterfactualPassRate, 4),
        };
    }

    // A few wrong answers per kind on stderr: where the model fails says what to change.
    private static void PrintFailures(TorchSharpPolicy policy, ReasoningWorld world, int samples)
    {
        var paraphrases = world.Questions.Where(q => q.HeldOutTemplate && q.FactIds.Count > 0).Take(samples * 4).ToArray();
        var fresh = world.FreshArithmeticQuestions(samples, WorldModelEvaluation.FreshArithmeticSeed + 99);
        foreach ((string name, IReadOnlyList<WorldQuestion> set) in new[] { ("paraphrase", (IReadOnlyList<WorldQuestion>)paraphrases), ("arithmetic", fresh) })
        {
            IReadOnlyList<string> answers = WorldModelEvaluation.AnswersAsync(policy, set.Select(q => q.Question).ToArray()).GetAwaiter().GetResult();
            WorldQuestion[] wrong3 = set.Where((q, i) => answers[i] != q.Answer).Take(3).ToArray();
            IReadOnlyList<string> full = policy.CompleteAsync(wrong3.Select(q => policy.PromptFormat.FormatPrompt(q.Question)).ToArray(), new SamplingSettings(WorldModelEvaluation.MaxNewTokens), CancellationToken.None).GetAwaiter().GetResult();
            for (int i = 0; i < wrong3.Length; i++) Console.Error.WriteLine($"  WRONG {wrong3[i].Question}\n   got  {full[i].Replace("\n", " | ")}\n   want {wrong3[i].ReasoningTrace} | {wrong3[i].Answer}");
            foreach (var byTemplate in set.Select((q, i) => (q, a: answers[i])).GroupBy(x => x.q.TemplateId.Split(':')[0]).OrderBy(g => g.Key))
            {
                int wrong = byTemplate.Count(x => x.a != x.q.Answer);
                Console.Error.WriteLine($"{name} {byTemplate.Key}: {byTemplate.Count() - wrong}/{byTemplate.Count()}"
                    + (wrong > 0 ? $"  e.g. '{byTemplate.First(x => x.a != x.q.Answer).q.Question}' -> '{byTemplate.First(x => x.a != x.q.Answer).a}' (want '{byTemplate.First(x => x.a != x.q.Answer).q.Answer}')" : ""));
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double MeanTokens(TorchSharpPolicy policy, ReasoningWorld world, WorldModelOptions options) =>
        WorldModelTrainingSet.Build(world, null, options.InstructionFraction, options.Seed, options.ColumnDrills)
            .Average(e => policy.Tokenizer.Encode(policy.PromptFormat.FormatPrompt(e.Question, e.Instruction) + policy.PromptFormat.FormatCompletion(e.ReasoningTrace, e.Answer)).Count);
}
