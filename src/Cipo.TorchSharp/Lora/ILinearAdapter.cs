using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Lora;

/// <summary>
/// An adapter hooked into a <see cref="Modeling.Linear"/> layer (<see cref="Modeling.Linear.SetAdapter"/>): it sees the
/// layer's input and base output and returns the adapted output.
/// </summary>
public interface ILinearAdapter
{
    /// <summary>The adapter's modules with the names they are registered under on the layer (e.g. <c>lora_A</c>, <c>lora_B</c>).</summary>
    IReadOnlyList<(string Name, nn.Module Module)> Modules { get; }

    /// <summary>The adapted output for <paramref name="input"/> [..., in] given the base output <paramref name="baseOutput"/> [..., out].</summary>
    Tensor Forward(Tensor input, Tensor baseOutput);
}
