using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>
/// The weight perturbation of sharpness-aware unlearning (Fan et al., ICML 2025, "Towards LLM Unlearning Resilient to
/// Relearning Attacks: A Sharpness-Aware Minimization Perspective and Beyond", after Foret et al.'s SAM): the first-order
/// worst case within an L2 ball of radius ρ, ε = ρ·g / ‖g‖ with g the forget loss's gradient over all trainable
/// parameters. Adding ε moves the weights to where the forget loss is highest nearby; disposing moves them back exactly
/// (ε is kept, not recomputed), also when the pass in between throws.
/// </summary>
internal sealed class SharpnessPerturbation : IDisposable
{
    private readonly List<(Parameter Parameter, Tensor Epsilon)> _applied;

    private SharpnessPerturbation(List<(Parameter, Tensor)> applied, double gradientNorm)
    {
        _applied = applied;
        GradientNorm = gradientNorm;
    }

    /// <summary>‖g‖, the global L2 norm of the gradients the perturbation was built from (0: nothing was moved).</summary>
    public double GradientNorm { get; }

    /// <summary>
    /// Adds ε = ρ·g/‖g‖ to every parameter that has a gradient. A zero or non-finite norm moves nothing (there is no
    /// ascent direction, or the step will be refused as non-finite anyway).
    /// </summary>
    public static SharpnessPerturbation Apply(IReadOnlyList<Parameter> parameters, double radius)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var withGrad = new List<(Parameter, Tensor)>(parameters.Count);
        double squares = 0;
        foreach (Parameter p in parameters)
        {
            if (p.grad is { } g)
            {
                withGrad.Add((p, g));
                squares += g.to(ScalarType.Float64).Squared().sum().item<double>();
            }
        }
        double norm = Math.Sqrt(squares);
        var applied = new List<(Parameter, Tensor)>(withGrad.Count);
        if (norm > 0 && double.IsFinite(norm))
        {
            using Scalar scale = TorchScalars.Of(radius / norm);
            foreach ((Parameter p, Tensor g) in withGrad)
            {
                Tensor epsilon = g.mul(scale).MoveToOuterDisposeScope();
                p.PlusInPlace(epsilon);
                applied.Add((p, epsilon));
            }
        }
        return new SharpnessPerturbation(applied, norm);
    }

    /// <summary>Subtracts ε again: the parameters hold their values from before <see cref="Apply"/>, up to rounding.</summary>
    public void Dispose()
    {
        using var noGrad = no_grad();
        foreach ((Parameter p, Tensor epsilon) in _applied)
        {
            p.sub_(epsilon);
            epsilon.Dispose();
        }
        _applied.Clear();
    }
}
