using System.Globalization;
using ScottPlot;

namespace Cipo.Evaluation.Reports;

/// <summary>Renders plots to PNG bytes at the report size, and the palette the charts share.</summary>
internal static class ChartImage
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static Color ColorOf(int index) => Palette.GetColor(index);

    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];

    /// <summary>The marker of the series at <paramref name="index"/>: the palette repeats after ten colours, so the eleventh series on gets another shape.</summary>
    public static MarkerShape MarkerOf(int index) => Markers[index / 10 % Markers.Length];

    public static byte[] Png(Plot plot) => plot.GetImageBytes(ReportChartFiles.Width, ReportChartFiles.Height, ImageFormat.Png);

    /// <summary>Tick labels at 0, 1, 2, … on the bottom axis, slanted when long so they do not overlap.</summary>
    public static void CategoryTicks(Plot plot, IReadOnlyList<string> labels)
    {
        double[] positions = Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels.ToArray());
        if (labels.Count > 3 && labels.Any(l => l.Length > 10))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            // ScottPlot does not make room for slanted labels: reserve the drop of the longest one (about 6.5 px a character, sin 30° = 0.5).
            plot.Axes.Bottom.MinimumSize = 20 + 0.5f * 6.5f * labels.Max(l => l.Length);
            plot.Axes.Right.MinimumSize = 0.87f * 6.5f * labels[^1].Length;
        }
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
    }

    /// <summary>A legend entry for bars of <paramref name="color"/>.</summary>
    public static void LegendEntry(Plot plot, string text, Color color) =>
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = text, FillColor = color });

    /// <summary>One line per summary (mean over worlds), NaN points left out, an optional dashed chance floor; null when no line has a point.</summary>
    public static byte[]? Lines(IReadOnlyList<BenchmarkMethodSummary> summaries, string title, string x, string y,
        Func<BenchmarkMethodSummary, (double X, double Y)[]> points, double? chance)
    {
        using var plot = new Plot();
        int drawn = 0;
        for (int i = 0; i < summaries.Count; i++)
        {
            (double X, double Y)[] mine = points(summaries[i]).Where(p => double.IsFinite(p.Y)).ToArray();
            if (mine.Length == 0)
            {
                continue;
            }
            var line = plot.Add.Scatter(mine.Select(p => p.X).ToArray(), mine.Select(p => p.Y).ToArray(), ColorOf(i));
            line.MarkerShape = MarkerOf(i);
            line.LegendText = summaries[i].Method;
            drawn++;
        }
        if (drawn == 0)
        {
            return null;
        }
        if (chance is double c && double.IsFinite(c))
        {
            var floor = plot.Add.HorizontalLine(c, 1, Colors.Gray);
            floor.LinePattern = LinePattern.Dashed;
            floor.LegendText = string.Create(CultureInfo.InvariantCulture, $"chance floor ({c:0.00})");
        }
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return Png(plot);
    }
}
