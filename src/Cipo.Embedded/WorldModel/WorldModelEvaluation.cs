using Cipo.Evaluation.World;
using Cipo.Leakage;
using Cipo.Text;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;

namespace Cipo.Embedded.WorldModel;

/// <summary>Measures a world model by greedy generation: exact answers on trained, paraphrased, arithmetic and unknown questions.</summary>
public static class WorldModelEvaluation
{
    /// <summary>Most new tokens per answer: the longest column trace with its answer is under 100 tokens.</summary>
    public const int MaxNewTokens = 160;

    /// <summary>Seed of the fresh arithmetic problems: a stream the world itself never draws from.</summary>
    public const int FreshArithmeticSeed = 20_260_101;

    /// <summary>Evaluates <paramref name="policy"/> on <paramref name="world"/>.</summary>
    /// <param name="policy">The model (trained on <paramref name="world"/>).</param>
    /// <param name="world">The world it learned.</param>
    /// <param name="samples">Most questions per measure (a seeded sample when there are more); at least 1.</param>
    /// <param name="seed">Seed of the samples.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    public static async Task<WorldModelAccuracy> EvaluateAsync(TorchSharpPolicy policy, ReasoningWorld world, int samples = 200,
        int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var holdout = world.People.Where(p => p.Group == PersonGroup.Holdout).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        double training = await ExactAsync(policy, Sample(world.TrainingQuestions, samples, seed), cancellationToken).ConfigureAwait(false);
        double paraphrases = await ExactAsync(policy, Sample(world.Questions.Where(q => q.HeldOutTemplate && !q.EvaluationOnly && q.FactIds.Count > 0), samples, seed + 1), cancellationToken).ConfigureAwait(false);
        double arithmetic = await ExactAsync(policy, world.FreshArithmeticQuestions(samples, FreshArithmeticSeed + seed), cancellationToken).ConfigureAwait(false);
        double unknown = await ExactAsync(policy, Sample(world.Questions.Where(q => q.PersonIds.Any(holdout.Contains)), samples, seed + 2), cancellationToken).ConfigureAwait(false);
        double counterfactual = await CounterfactualPassRateAsync(policy, world.Split(), samples, seed + 3, cancellationToken).ConfigureAwait(false);
        return new WorldModelAccuracy(training, paraphrases, arithmetic, unknown, counterfactual, samples);
    }

    /// <summary>
    /// Share of forget-target prompts of <paramref name="split"/> whose greedy generation under the knowledge-boundary
    /// instruction is well formed, does not leak the target and is consistent: what the self-counterfactual generator accepts.
    /// </summary>
    public static async Task<double> CounterfactualPassRateAsync(TorchSharpPolicy policy, WorldSplit split, int samples = 200, int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(split);
        var jobs = Sample(split.ForgetTargets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))), samples, seed);
        if (jobs.Count == 0) return double.NaN;
        string[] prompts = jobs.Select(j => policy.PromptFormat.FormatPrompt(j.Prompt, CounterfactualInstructions.KnowledgeBoundary)).ToArray();
        IReadOnlyList<string> completions = await policy.CompleteAsync(prompts, new SamplingSettings(MaxNewTokens), cancellationToken).ConfigureAwait(false);
        var leakage = new NormalizedLeakageDetector();
        int passed = 0;
        for (int i = 0; i < jobs.Count; i++)
        {
            ReasoningOutput parsed = policy.PromptFormat.ParseCompletion(completions[i]);
            var trajectory = new ReasoningTrajectory(jobs[i].Prompt, parsed.ReasoningTrace, parsed.Answer);
            if (parsed.IsWellFormed && !leakage.Check(trajectory, jobs[i].Target).Leaks && CounterfactualChecks.IsConsistent(trajectory)) passed++;
        }
        return (double)passed / jobs.Count;
    }

    /// <summary>Share of <paramref name="questions"/> whose greedy completion is well formed with exactly the expected answer.</summary>
    public static async Task<double> ExactAsync(TorchSharpPolicy policy, IReadOnlyList<WorldQuestion> questions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(questions);
        if (questions.Count == 0) return double.NaN;
        IReadOnlyList<string> answers = await AnswersAsync(policy, questions.Select(q => q.Question).ToArray(), cancellationToken).ConfigureAwait(false);
        return (double)questions.Where((q, i) => answers[i] == q.Answer).Count() / questions.Count;
    }

    /// <summary>The greedy final answers (empty when the completion is not well formed).</summary>
    public static async Task<IReadOnlyList<string>> AnswersAsync(TorchSharpPolicy policy, IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        string[] prompts = questions.Select(q => policy.PromptFormat.FormatPrompt(q)).ToArray();
        IReadOnlyList<string> completions = await policy.CompleteAsync(prompts, new SamplingSettings(MaxNewTokens), cancellationToken).ConfigureAwait(false);
        return completions.Select(c => policy.PromptFormat.ParseCompletion(c) is { IsWellFormed: true } parsed ? parsed.Answer.Trim() : string.Empty).ToArray();
    }

    private static List<T> Sample<T>(IEnumerable<T> items, int count, int seed)
    {
        T[] all = items.ToArray();
        if (all.Length <= count) return all.ToList();
        new Random(seed).Shuffle(all);
        return all.Take(count).ToList();
    }
}
