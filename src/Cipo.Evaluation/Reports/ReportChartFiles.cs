namespace Cipo.Evaluation.Reports;

/// <summary>Relative paths and pixel sizes of the report charts (PNG).</summary>
public static class ReportChartFiles
{
    /// <summary>Folder of the charts inside a report folder.</summary>
    public const string Folder = "charts";

    /// <summary>Grouped bars of the key metrics before and after unlearning.</summary>
    public const string BeforeAfter = "charts/before-after.png";
    /// <summary>Trace, answer, greedy and leak@k leakage per round.</summary>
    public const string LeakagePerRound = "charts/leakage-per-round.png";
    /// <summary>Heatmap of the relative weight change per layer and module.</summary>
    public const string WeightChange = "charts/weight-change.png";
    /// <summary>Benchmark: forget efficacy against model utility, one point per method.</summary>
    public const string Frontier = "charts/frontier.png";
    /// <summary>Benchmark: greedy and leak@k leakage per method.</summary>
    public const string Leakage = "charts/leakage.png";
    /// <summary>Benchmark: forget quality (log scale) against model utility, one point per method and world.</summary>
    public const string ForgetQualityVsUtility = "charts/forget-quality-vs-utility.png";
    /// <summary>Benchmark: greedy leakage per probe group (direct, paraphrase, multi-hop, indirect) per method.</summary>
    public const string LeakageByGroup = "charts/leakage-by-group.png";

    /// <summary>Benchmark: every tuning point's validation forget efficacy against model utility, per method, the chosen points marked.</summary>
    public const string TuningSweep = "charts/tuning-sweep.png";

    /// <summary>Benchmark: leak on the held half against relearning steps, per method (the relearning curve).</summary>
    public const string RelearningCurve = "charts/relearning-curve.png";

    /// <summary>Benchmark: the hidden-state probe's accuracy on forgotten subjects per layer, per method.</summary>
    public const string ProbeByLayer = "charts/probe-by-layer.png";

    /// <summary>Benchmark, sequential setting: leak@k of the earlier requests' targets against the requests applied, per method.</summary>
    public const string SequentialLeak = "charts/sequential-leak.png";

    /// <summary>Benchmark, sequential setting: utility against the requests applied, per method.</summary>
    public const string SequentialUtility = "charts/sequential-utility.png";

    /// <summary>Width of every chart in pixels.</summary>
    public const int Width = 1000;
    /// <summary>Height of every chart in pixels.</summary>
    public const int Height = 600;
}
