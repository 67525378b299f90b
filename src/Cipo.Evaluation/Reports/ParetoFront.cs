namespace Cipo.Evaluation.Reports;

/// <summary>
/// The Pareto front of points scored on two higher-is-better axes: a point is on it when no other point is at least as
/// good on both axes and better on one. Points with a NaN coordinate are never on it.
/// </summary>
public static class ParetoFront
{
    /// <summary>For each point, whether it is on the front of <paramref name="points"/>.</summary>
    public static bool[] Of(IReadOnlyList<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var on = new bool[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            (double x, double y) = points[i];
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                continue;
            }
            on[i] = !points.Where((p, j) => j != i && !double.IsNaN(p.X) && !double.IsNaN(p.Y))
                .Any(p => p.X >= x && p.Y >= y && (p.X > x || p.Y > y));
        }
        return on;
    }
}
