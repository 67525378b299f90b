using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Evaluation;

/// <summary>
/// Where a model changed: the relative change ‖W_after − W_before‖_F / ‖W_before‖_F per (layer, module), the modules
/// parsed from Hugging Face parameter names (<see cref="ParameterLocation"/>). Works one tensor at a time, in float32
/// with float64 sums.
/// </summary>
public static class WeightChangeMeter
{
    /// <summary>Compares a snapshot taken before unlearning with the live model after it.</summary>
    /// <param name="before">The weights before (<see cref="WeightSnapshot.Capture"/> or <see cref="WeightSnapshot.FromFolder"/>).</param>
    /// <param name="after">The model after; parameters the snapshot lacks (unmerged adapters) are not compared.</param>
    /// <returns>One entry per (layer, module), in parameter order.</returns>
    /// <exception cref="ArgumentException">No parameter is in both, or a shared one changed shape.</exception>
    public static IReadOnlyList<WeightChange> Compare(WeightSnapshot before, CausalLM after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var sums = new Accumulator();
        using var noGrad = no_grad();
        foreach ((string name, var parameter) in after.named_parameters())
        {
            if (!before.Contains(name))
            {
                continue;
            }
            using var scope = NewDisposeScope();
            Tensor old = before.Load(name, parameter.device);
            sums.Add(name, old, parameter.detach().to(ScalarType.Float32));
        }
        return sums.Results();
    }

    /// <summary>Compares two snapshots (for example two saved model folders) over the parameters both hold.</summary>
    /// <exception cref="ArgumentException">No parameter is in both, or a shared one changed shape.</exception>
    public static IReadOnlyList<WeightChange> Compare(WeightSnapshot before, WeightSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var sums = new Accumulator();
        foreach (string name in after.Names.Where(before.Contains))
        {
            using var scope = NewDisposeScope();
            sums.Add(name, before.Load(name, CPU), after.Load(name, CPU));
        }
        return sums.Results();
    }

    /// <summary>Sums of squares per (layer, module), in order of first appearance.</summary>
    private sealed class Accumulator
    {
        private readonly Dictionary<ParameterLocation, (double Delta, double Before)> _sums = [];
        private readonly List<ParameterLocation> _order = [];

        public void Add(string name, Tensor before, Tensor after)
        {
            if (!before.shape.SequenceEqual(after.shape))
            {
                throw new ArgumentException(
                    $"Parameter '{name}' has shape [{string.Join(", ", before.shape)}] before and [{string.Join(", ", after.shape)}] after; a weight change needs the same architecture.");
            }
            double delta = after.Minus(before).Squared().sum(ScalarType.Float64).item<double>();
            double norm = before.Squared().sum(ScalarType.Float64).item<double>();
            ParameterLocation location = ParameterLocation.Parse(name);
            if (_sums.TryGetValue(location, out var sum))
            {
                _sums[location] = (sum.Delta + delta, sum.Before + norm);
            }
            else
            {
                _sums[location] = (delta, norm);
                _order.Add(location);
            }
        }

        public IReadOnlyList<WeightChange> Results()
        {
            if (_order.Count == 0)
            {
                throw new ArgumentException("The two models share no parameter name; nothing to compare.");
            }
            return _order.Select(location =>
            {
                (double delta, double before) = _sums[location];
                // A module that was zero has no relative scale: unchanged counts as no change (0), changed as +∞.
                double relative = delta == 0 ? 0.0 : before > 0 ? Math.Sqrt(delta) / Math.Sqrt(before) : double.PositiveInfinity;
                return new WeightChange(location.Layer, location.Module, relative);
            }).ToArray();
        }
    }
}
