using Cipo.Embedded.Experiments;

namespace Cipo.Embedded.Tests.Experiments;

/// <summary>The smoke setting (a small world and model) with its own cache, so the pipelines run end to end in seconds (quality is not the point).</summary>
internal static class SmallExperiment
{
    public static WorldExperimentOptions Options(string cacheRoot)
    {
        WorldExperimentOptions o = WorldExperimentOptions.Smoke();
        o.CacheRoot = cacheRoot;
        return o;
    }
}
