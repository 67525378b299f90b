using Cipo.Evaluation.Audit;
using ScottPlot;

namespace Cipo.Evaluation.Reports;

/// <summary>The charts of a benchmark report, as PNG bytes; null when the results have nothing to show for a chart.</summary>
internal static class BenchmarkReportCharts
{
    /// <summary>Forget quality below this is drawn at it: a log axis has no zero, and KS p-values this small all mean "distinguishable".</summary>
    public const double ForgetQualityFloor = 1e-12;

    public static byte[]? Frontier(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        var points = summaries
            .Select(s => (s.Method, X: s.Of(AuditMetricNames.ModelUtility), Y: s.Of(AuditMetricNames.ForgetEfficacy)))
            .Where(p => p.X.Count > 0 && p.Y.Count > 0)
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }
        using var plot = new Plot();
        for (int i = 0; i < points.Count; i++)
        {
            var (method, x, y) = points[i];
            Color color = ChartImage.ColorOf(i);
            var errors = new ScottPlot.Plottables.ErrorBar(
                [x.Mean], [y.Mean], [x.StandardDeviation], [x.StandardDeviation], [y.StandardDeviation], [y.StandardDeviation])
            {
                Color = color,
            };
            plot.Add.Plottable(errors);
            var marker = plot.Add.Marker(x.Mean, y.Mean, ChartImage.MarkerOf(i), 10, color);
            marker.LegendText = method;
            var label = plot.Add.Text(method, x.Mean, y.Mean);
            label.LabelFontColor = color;
            label.LabelFontSize = 14;
            // Right of the point, or left of it near the right edge, where the name would be cut off.
            bool nearRightEdge = x.Mean > 0.8;
            label.LabelAlignment = nearRightEdge ? Alignment.LowerRight : Alignment.LowerLeft;
            label.OffsetX = nearRightEdge ? -8 : 8;
            label.OffsetY = -8;
        }
        plot.Axes.SetLimits(0, 1.05, 0, 1.05);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Title("Forget efficacy vs model utility (mean ± std over worlds)");
        plot.XLabel("Model utility (higher is better)");
        plot.YLabel("Forget efficacy (higher is better)");
        return ChartImage.Png(plot);
    }

    /// <summary>
    /// Each method's whole tuning sweep on the validation probes: one small marker per grid point (forget efficacy vs model
    /// utility), the chosen point large and labelled, and the Pareto front of all points as a line.
    /// </summary>
    public static byte[]? TuningSweep(BenchmarkTuning? tuning)
    {
        if (tuning is null)
        {
            return null;
        }
        var runs = tuning.Runs
            .Select(r => (r.Method, r.Point, X: r.ValueOf(AuditMetricNames.ModelUtility), Y: r.ValueOf(AuditMetricNames.ForgetEfficacy)))
            .Where(p => !double.IsNaN(p.X) && !double.IsNaN(p.Y))
            .ToList();
        if (runs.Count == 0)
        {
            return null;
        }
        using var plot = new Plot();
        string[] methods = runs.Select(r => r.Method).Distinct(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < methods.Length; i++)
        {
            Color color = ChartImage.ColorOf(i);
            var mine = runs.Where(r => r.Method == methods[i]).ToArray();
            var scatter = plot.Add.ScatterPoints(mine.Select(r => r.X).ToArray(), mine.Select(r => r.Y).ToArray(), color);
            scatter.MarkerShape = ChartImage.MarkerOf(i);
            scatter.MarkerSize = 6;
            scatter.LegendText = methods[i];
            string? chosen = tuning.Choices.FirstOrDefault(c => c.Method == methods[i])?.Point;
            foreach (var r in mine.Where(r => r.Point == chosen))
            {
                plot.Add.Marker(r.X, r.Y, ChartImage.MarkerOf(i), 14, color);
                var label = plot.Add.Text(methods[i], r.X, r.Y);
                label.LabelFontColor = color;
                label.LabelFontSize = 13;
                label.OffsetX = 8;
                label.OffsetY = -8;
            }
        }
        bool[] front = ParetoFront.Of(runs.Select(r => (r.X, r.Y)).ToArray());
        var frontPoints = runs.Where((r, i) => front[i]).OrderBy(r => r.X).ToArray();
        if (frontPoints.Length > 1)
        {
            var line = plot.Add.ScatterLine(frontPoints.Select(r => r.X).ToArray(), frontPoints.Select(r => r.Y).ToArray(), Colors.Gray);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Pareto front (all points)";
        }
        plot.Axes.SetLimits(0, 1.05, 0, 1.05);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Title($"Tuning sweep on the validation probes of world {tuning.World} (large: chosen)");
        plot.XLabel("Model utility (validation, higher is better)");
        plot.YLabel("Forget efficacy (validation, higher is better)");
        return ChartImage.Png(plot);
    }

    public static byte[]? Leakage(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        string[] series = [AuditMetricNames.GreedyLeak(AuditMetricNames.All), AuditMetricNames.LeakAtK(AuditMetricNames.All)];
        if (!summaries.Any(s => series.Any(name => s.Of(name).Count > 0)))
        {
            return null;
        }
        using var plot = new Plot();
        var bars = new List<Bar>();
        for (int m = 0; m < summaries.Count; m++)
        {
            for (int s = 0; s < series.Length; s++)
            {
                SampleStatistics stats = summaries[m].Of(series[s]);
                if (stats.Count == 0) { continue; }
                bars.Add(new Bar
                {
                    Position = m + (s == 0 ? -0.2 : 0.2),
                    Value = stats.Mean,
                    Error = stats.StandardDeviation,
                    Size = 0.38,
                    FillColor = ChartImage.ColorOf(s),
                });
            }
        }
        plot.Add.Bars(bars);
        ChartImage.CategoryTicks(plot, summaries.Select(s => s.Method).ToList());
        for (int s = 0; s < series.Length; s++)
        {
            ChartImage.LegendEntry(plot, MetricCatalog.Describe(series[s]).DisplayName, ChartImage.ColorOf(s));
        }
        // Beside the data area, so the legend never covers a bar.
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Leakage per method (mean ± std over worlds; lower is better)");
        plot.YLabel("Leak rate");
        return ChartImage.Png(plot);
    }

    /// <summary>One point per (method, world): x = model utility, y = forget quality on a log10 axis (floored at <see cref="ForgetQualityFloor"/>).</summary>
    public static byte[]? ForgetQualityVsUtility(IReadOnlyList<BenchmarkResult> results)
    {
        var methods = results
            .Where(r => double.IsFinite(r.ValueOf(AuditMetricNames.ModelUtility)) && double.IsFinite(r.ValueOf(AuditMetricNames.ForgetQuality)))
            .GroupBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
        if (methods.Count == 0)
        {
            return null;
        }
        using var plot = new Plot();
        double lowest = 0;
        for (int m = 0; m < methods.Count; m++)
        {
            double[] xs = methods[m].Select(r => r.ValueOf(AuditMetricNames.ModelUtility)).ToArray();
            double[] ys = methods[m].Select(r => Math.Log10(Math.Max(r.ValueOf(AuditMetricNames.ForgetQuality), ForgetQualityFloor))).ToArray();
            lowest = Math.Min(lowest, ys.Min());
            var points = plot.Add.Scatter(xs, ys, ChartImage.ColorOf(m));
            points.LineWidth = 0;
            points.MarkerSize = 11;
            points.MarkerShape = ChartImage.MarkerOf(m);
            points.LegendText = methods[m].Key;
        }
        // Ticks at whole powers of ten, labelled as the p-values they stand for.
        int bottom = Math.Min((int)Math.Floor(lowest), -1);
        int step = Math.Max(1, (int)Math.Ceiling(-bottom / 12.0));
        double[] exponents = Enumerable.Range(0, -bottom / step + 1).Select(i => (double)(-i * step)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(exponents, exponents.Select(e => e == 0 ? "1" : $"1e{e:0}").ToArray());
        plot.Axes.SetLimits(-0.02, 1.05, bottom - 0.5, 0.5);
        // Beside the data area, so the legend never covers a point.
        plot.ShowLegend(Edge.Right);
        plot.Title("Forget quality vs model utility (one point per method and world; higher is better)");
        plot.XLabel("Model utility (higher is better)");
        plot.YLabel("Forget quality, KS p (log axis; < 1e-12 drawn at 1e-12)");
        return ChartImage.Png(plot);
    }

    /// <summary>Per method, grouped bars of greedy any-leak on direct, paraphrase, multi-hop and indirect probes (mean over worlds, std as error bars).</summary>
    public static byte[]? LeakageByGroup(IReadOnlyList<BenchmarkMethodSummary> summaries)
    {
        string[] groups = [AuditMetricNames.Direct, AuditMetricNames.Paraphrase, AuditMetricNames.MultiHop, AuditMetricNames.Indirect];
        string[] series = groups.Select(AuditMetricNames.GreedyLeak).ToArray();
        if (!summaries.Any(s => series.Any(name => s.Of(name).Count > 0)))
        {
            return null;
        }
        using var plot = new Plot();
        var bars = new List<Bar>();
        double width = 0.8 / series.Length;
        for (int m = 0; m < summaries.Count; m++)
        {
            for (int g = 0; g < series.Length; g++)
            {
                SampleStatistics stats = summaries[m].Of(series[g]);
                if (stats.Count == 0) { continue; }
                bars.Add(new Bar
                {
                    Position = m + (g - (series.Length - 1) / 2.0) * width,
                    Value = stats.Mean,
                    Error = stats.StandardDeviation,
                    Size = width * 0.95,
                    FillColor = ChartImage.ColorOf(g),
                });
            }
        }
        plot.Add.Bars(bars);
        ChartImage.CategoryTicks(plot, summaries.Select(s => s.Method).ToList());
        for (int g = 0; g < groups.Length; g++)
        {
            ChartImage.LegendEntry(plot, groups[g], ChartImage.ColorOf(g));
        }
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Greedy leakage per probe group (mean ± std over worlds; lower is better)");
        plot.YLabel("Greedy leak rate");
        return ChartImage.Png(plot);
    }
}
