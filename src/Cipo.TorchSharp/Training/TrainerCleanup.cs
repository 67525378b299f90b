using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Training;

/// <summary>What every trainer does when it ends, normally or not: no gradient left behind, the model back in eval mode.</summary>
internal static class TrainerCleanup
{
    /// <summary>Frees the optimizer's and the model's gradients and puts the model in eval mode.</summary>
    public static void Finish(AdamWOptimizer optimizer, CausalLM model)
    {
        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        model.zero_grad();
        model.eval();
    }
}
