using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

// Hand-written: TorchSharp's optim.AdamW converts its coefficients to Scalars implicitly on every step, which races with
// the finalizer thread when torch runs on several threads (see TorchScalars); this one passes explicit scalars.

/// <summary>
/// AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization") with PyTorch's update, operation for
/// operation as <c>torch.optim.AdamW</c> without AMSGrad: per parameter with a gradient, step t += 1, then
/// θ ← θ·(1 − lr·λ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// A test checks it against TorchSharp's <c>optim.AdamW</c> bit for bit.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private bool _disposed;

    /// <summary>Creates the optimizer with zero moments for every parameter.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Learning rate, ≥ 0.</param>
    /// <param name="beta1">First-moment decay, in [0, 1). The default value is 0.9.</param>
    /// <param name="beta2">Second-moment decay, in [0, 1). The default value is 0.999.</param>
    /// <param name="epsilon">Added to the denominator, ≥ 0. The default value is 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay λ, ≥ 0. The default value is 0.</param>
    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "must be in [0, 1)");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "must be in [0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        _parameters = parameters.ToArray();
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _weightDecay = weightDecay;
        _steps = new long[_parameters.Length];
        using (no_grad())
        {
            _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>The learning rate of the next <see cref="Step"/> (a schedule sets it before each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Zeroes every gradient that exists (as <c>optimizer.zero_grad()</c>: a parameter keeps a zero gradient, not none).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (Parameter p in _parameters)
        {
            using Tensor? grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Parameter p = _parameters[i];
            Tensor? grad = p.grad;
            if (grad is null)
            {
                continue;
            }
            long t = ++_steps[i];
            double lr = LearningRate;
            double biasCorrection1 = 1 - Math.Pow(_beta1, t);
            double biasCorrection2 = 1 - Math.Pow(_beta2, t);
            using Scalar decay = TorchScalars.Of(1 - lr * _weightDecay),
                beta1 = TorchScalars.Of(_beta1), gradWeight = TorchScalars.Of(1 - _beta1),
                beta2 = TorchScalars.Of(_beta2), squareWeight = TorchScalars.Of(1 - _beta2),
                correction2Root = TorchScalars.Of(Math.Sqrt(biasCorrection2)), epsilon = TorchScalars.Of(_epsilon),
                stepSize = TorchScalars.Of(-(lr / biasCorrection1));
            p.mul_(decay);
            _firstMoments[i].mul_(beta1).add_(grad, gradWeight);
            _secondMoments[i].mul_(beta2).addcmul_(grad, grad, squareWeight);
            Tensor denominator = _secondMoments[i].sqrt().div(correction2Root).add_(epsilon, TorchScalars.One);
            p.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    /// <summary>Frees the moment tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Tensor moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
