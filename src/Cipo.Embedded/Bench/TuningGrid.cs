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
/// over the hyper-parameters it actually has — learning rate always; β where its loss has one, at the ends of the range
/// its paper uses; the retain weight where it trains on retain data. Steps are not a grid axis: every method stops early
/// on the validation probes within the shared budget of rounds × steps.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Learning rate and two further axes: learning rate {3e-4, 1e-3} × β {low, high} × retain weight {1, 3}.</item>
/// <item>Learning rate and one further axis: learning rate {1e-4, 3e-4, 1e-3, 3e-3} × that axis's two values.</item>
/// <item>Learning rate only: {3e-5, 1e-4, 2e-4, 3e-4, 6e-4, 1e-3, 2e-3, 3e-3}.</item>
/// </list>
/// β ranges: DPO family and NPO 0.1–0.5 (Rafailov et al. 2023; Zhang et al. 2024, "Negative Preference Optimization");
/// SimNPO 2.5–4.5 (Fan et al. 2024, "Simplicity Prevails: Rethinking Negative Preference Optimization for LLM Unlearning").
/// </remarks>
public static class TuningGrid
{
    /// <summary>Grid points per method, the same for every method.</summary>
    public const int PointsPerMethod = 8;

    /// <summary>Name of the learning-rate setting.</summary>
    public const string LearningRate = "learning_rate";

    /// <summary>Name of the β setting.</summary>
    public const string Beta = "beta";

    /// <summary>Name of the retain-weight setting.</summary>
    public const string RetainWeight = "retain_weight";

    private static readonly double[] s_twoRates = [3e-4, 1e-3], s_fourRates = [1e-4, 3e-4, 1e-3, 3e-3],
        s_eightRates = [3e-5, 1e-4, 2e-4, 3e-4, 6e-4, 1e-3, 2e-3, 3e-3];

    private static readonly double[] s_retainWeights = [1.0, 3.0];

    /// <summary>The grid of <paramref name="method"/> over <paramref name="shared"/> (the budget every point starts from).</summary>
    public static IReadOnlyList<TuningPoint> For(UnlearningMethod method, MethodBudget shared)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(shared);
        MethodTunables tunables = MethodTunables.Of(method);
        var axes = new List<(string Name, double[] Values)>();
        if (tunables.BetaRange is { } beta) axes.Add((Beta, [beta.Low, beta.High]));
        if (tunables.UsesRetainWeight) axes.Add((RetainWeight, s_retainWeights));
        double[] rates = axes.Count switch { 0 => s_eightRates, 1 => s_fourRates, _ => s_twoRates };
        axes.Insert(0, (LearningRate, rates));

        var points = new List<TuningPoint>();
        foreach (double[] values in Cartesian(axes.Select(a => a.Values).ToArray()))
        {
            var settings = new SortedDictionary<string, double>(StringComparer.Ordinal);
            MethodBudget budget = shared.Clone();
            for (int a = 0; a < axes.Count; a++)
            {
                settings[axes[a].Name] = values[a];
                switch (axes[a].Name)
                {
                    case LearningRate: budget.LearningRate = values[a]; break;
                    case Beta: budget.Beta = values[a]; break;
                    case RetainWeight: budget.RetainWeight = values[a]; break;
                }
            }
            points.Add(new TuningPoint("p" + (points.Count + 1).ToString(CultureInfo.InvariantCulture), budget, settings));
        }
        return points.Count == PointsPerMethod ? points
            : throw new InvalidOperationException($"The grid of '{method.Name}' has {points.Count} points, not {PointsPerMethod}.");
    }

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
