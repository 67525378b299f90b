using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>The trainers' gradient clipping, where a maximum of 0 means "measure, do not clip".</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Clips the global L2 norm of the gradients to <paramref name="maxNorm"/> (0: no clipping) and returns the norm
    /// before clipping. "No clipping" passes <see cref="float.MaxValue"/>, not <see cref="double.MaxValue"/>: libtorch
    /// converts the bound to the parameters' float type and fails on an overflow.
    /// </summary>
    public static double ClipOrMeasure(IEnumerable<Parameter> parameters, double maxNorm) =>
        nn.utils.clip_grad_norm_(parameters, maxNorm > 0 ? maxNorm : float.MaxValue);
}
