using Cipo.Testing;
using Cipo.TorchSharp.Policy;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Policy;

public sealed class HiddenStatesTests
{
    [Fact]
    public void ReadHiddenStates_GivesEveryLayerAtTheLastPromptToken_MatchingTheForwardPass()
    {
        using TorchSharpPolicy policy = TinyReasoningModel.Train();
        string prompt = TinyReasoningModel.Facts[0].Question;
        int layers = policy.Model.Config.NumHiddenLayers;

        IReadOnlyList<float[][]> states = policy.ReadHiddenStates([prompt, TinyReasoningModel.Facts[1].Question]);

        states.Should().HaveCount(2);
        states[0].Should().HaveCount(layers + 1).And.OnlyContain(v => v.Length == policy.Model.Config.HiddenSize);
        states[0][layers].Should().NotEqual(states[1][layers], "different prompts, different states");
        // The last layer's state, after the final norm, is what ForwardHidden returns at the last position.
        using var scope = NewDisposeScope();
        long[] ids = policy.Tokenizer.Encode(policy.PromptFormat.FormatPrompt(prompt)).Select(i => (long)i).ToArray();
        using var noGrad = no_grad();
        Tensor input = tensor(ids).unsqueeze(0);
        float[] expected = policy.Model.ForwardHidden(input)[0, ids.Length - 1].data<float>().ToArray();
        float[] normed = policy.Model.model.norm.forward(tensor(states[0][layers]).unsqueeze(0)).squeeze(0).data<float>().ToArray();
        normed.Zip(expected).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-4f);
    }
}
