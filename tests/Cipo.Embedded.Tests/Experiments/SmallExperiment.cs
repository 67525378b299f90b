using Cipo.Embedded.Experiments;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Tests.Experiments;

/// <summary>A small world and model so the demo and benchmark pipelines run end to end in seconds (quality is not the point).</summary>
internal static class SmallExperiment
{
    public static WorldExperimentOptions Options(string cacheRoot)
    {
        var o = WorldExperimentOptions.Quick();
        o.CacheRoot = cacheRoot;
        o.Model.World = new WorldOptions
        {
            Seed = 3, People = 10, StrangerPeople = 2, HoldoutPeople = 2, Cities = 4, Countries = 2, Professions = 4,
            ArithmeticProblems = 20, SplitDigits = true, ArithmeticScratchpad = true,
        };
        o.Model.HiddenSize = 32;
        o.Model.Layers = 1;
        o.Model.Heads = 2;
        o.Model.KvHeads = 1;
        o.Model.Steps = 40;
        o.Model.WarmupSteps = 4;
        o.Model.BatchSize = 16;
        o.Model.EvaluationSamples = 0;
        o.Model.Threads = 1;
        o.ForgetFraction = 0.2;
        o.Probes.MaxPerGroup = 6;
        o.Audit.K = 2;
        o.Audit.MaxNewTokens = 48;
        o.Audit.RelearnSteps = 2;
        o.Loop.CounterfactualCandidates = 2;
        o.Loop.PairSamplesPerPrompt = 2;
        o.Loop.AuditSamplesPerPrompt = 2;
        o.Loop.MaxNewTokens = 48;
        o.Budget.MaxRounds = 1;
        o.Budget.StepsPerRound = 2;
        o.Budget.BatchSize = 4;
        return o;
    }
}
