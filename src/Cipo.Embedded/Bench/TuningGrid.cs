using System.Globalization;
using Cipo.Embedded.Methods;

namespace Cipo.Embedded.Bench;

/// <summary>One point of a method's tuning grid: its id, the budget it runs with and the hyper-parameters that differ.</summary>
/// <param name="Id">Id within the method's grid, in grid order (<c>p1</c> … <c>p8</c>).</param>
/// <param name="Budget">The budget of the point (the shared budget with the point's values).</param>
/// <param name="Settings">The point's hyper-parameters by name (<see cref="TuningGrid.LearningRate"/>, …).</param>
public sealed record TuningPoint(string Id, MethodBudget Budget, IReadOnlyDictionary<string, double> Settings);

/// <summary>
/// The documented tuning grid: every method gets exactly <see cref="PointsPerMethod"/> points (the same compute), spread
/// over the hyper-parameters it declares (<see cref="UnlearningMethod.Tunables"/>) — learning rate always; β where its
/// loss has one, at the two ends of the range its paper uses; the retain weight where it trains on retain data; SCRUB's
/// α. Steps are not a grid axis: iterative methods stop early on the validation probes within the shared budget of
/// rounds × steps.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Two further axes: learning rate {3e-4, 1e-3} × each axis's two values.</item>
/// <item>One further axis: learning rate {1e-4, 3e-4, 1e-3, 3e-3} × its two values.</item>
/// <item>Learning rate only: {3e-5, 1e-4, 2e-4, 3e-4, 6e-4, 1e-3, 2e-3, 3e-3}.</item>
/// <item>Values of an axis: the paper's range ends when the method's tunable gives one (β: DPO and NPO 0.1 / 0.5, SimNPO
/// 2.5 / 4.5); otherwise retain weight {1, 3}, SCRUB α {0.5, 2}.</item>
/// <item>At most two axes besides the learning rate, in the method's declared order; a further one (SCRUB's max-step
/// share) keeps the shared budget's value and is listed in <see cref="Untuned"/>.</item>
/// </list>
/// </remarks>
public static class TuningGrid
{
    /// <summary>Grid points per method, the same for every method.</summary>
    public const int PointsPerMethod = 8;

    /// <summary>Name of the learning-rate setting.</summary>
    public static string LearningRate => MethodTunables.LearningRate.Name;

    /// <summary>Name of the β setting.</summary>
    public static string Beta => MethodTunables.DpoBeta.Name;

    /// <summary>Name of the retain-weight setting.</summary>
    public static string RetainWeight => MethodTunables.RetainWeight.Name;

    private const int MaxFurtherAxes = 2;

    private static readonly double[] s_twoRates = [3e-4, 1e-3], s_fourRates = [1e-4, 3e-4, 1e-3, 3e-3],
        s_eightRates = [3e-5, 1e-4, 2e-4, 3e-4, 6e-4, 1e-3, 2e-3, 3e-3];

    /// <summary>The grid of <paramref name="method"/> over <paramref name="shared"/> (the budget every point starts from).</summary>
    public static IReadOnlyList<TuningPoint> For(UnlearningMethod method, MethodBudget shared)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(shared);
        MethodTunable[] further = Further(method).Take(MaxFurtherAxes).ToArray();
        var axes = new List<(MethodTunable Tunable, double[] Values)>
        {
            (MethodTunables.LearningRate, further.Length switch { 0 => s_eightRates, 1 => s_fourRates, _ => s_twoRates }),
        };
        axes.AddRange(further.Select(t => (t, ValuesOf(t))));

        var points = new List<TuningPoint>();
        foreach (double[] values in Cartesian(axes.Select(a => a.Values).ToArray()))
        {
            var settings = new SortedDictionary<string, double>(StringComparer.Ordinal);
            MethodBudget budget = shared.Clone();
            for (int a = 0; a < axes.Count; a++)
            {
                settings[axes[a].Tunable.Name] = values[a];
                typeof(MethodBudget).GetProperty(axes[a].Tunable.BudgetField)!.SetValue(budget, values[a]);
            }
            points.Add(new TuningPoint("p" + (points.Count + 1).ToString(CultureInfo.InvariantCulture), budget, settings));
        }
        return points.Count == PointsPerMethod ? points
            : throw new InvalidOperationException($"The grid of '{method.Name}' has {points.Count} points, not {PointsPerMethod}.");
    }

    /// <summary>The tunables of <paramref name="method"/> the grid leaves at the shared value (beyond the two further axes).</summary>
    public static IReadOnlyList<string> Untuned(UnlearningMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Further(method).Skip(MaxFurtherAxes).Select(t => t.Name).ToArray();
    }

    private static IEnumerable<MethodTunable> Further(UnlearningMethod method) => method.Tunables.Where(t => t.Name != MethodTunables.LearningRate.Name);

    private static double[] ValuesOf(MethodTunable t) => t switch
    {
        { PaperMin: double low, PaperMax: double high } => [low, high],
        _ when t.Name == MethodTunables.RetainWeight.Name => [1.0, 3.0],
        _ when t.Name == MethodTunables.ScrubAlpha.Name => [0.5, 2.0],
        _ when t.Name == MethodTunables.ScrubMaxStepShare.Name => [0.25, 0.5],
        _ => throw new InvalidOperationException($"No grid values are declared for the tunable '{t.Name}'."),
    };

    private static IEnumerable<double[]> Cartesian(double[][] axes)
    {
        IEnumerable<double[]> result = [[]];
        foreach (double[] axis in axes)
        {
            double[] current = axis;
            result = result.SelectMany(prefix => current.Select(v => (double[])[.. prefix, v]));
        }
        return result;
    }
}
