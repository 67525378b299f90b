using Cipo.TorchSharp.Evaluation;

namespace Cipo.TorchSharp.Tests.Evaluation;

public sealed class ParameterLocationTests
{
    [Theory]
    [InlineData("model.layers.0.self_attn.q_proj.weight", 0, "self_attn.q_proj")]
    [InlineData("model.layers.0.self_attn.q_proj.bias", 0, "self_attn.q_proj")]          // Qwen2 q/k/v bias
    [InlineData("model.layers.27.mlp.down_proj.weight", 27, "mlp.down_proj")]
    [InlineData("model.layers.3.input_layernorm.weight", 3, "input_layernorm")]
    [InlineData("model.layers.3.post_attention_layernorm.weight", 3, "post_attention_layernorm")]
    [InlineData("model.layers.11.self_attn.k_norm.weight", 11, "self_attn.k_norm")]       // Qwen3 q/k norm
    [InlineData("model.embed_tokens.weight", -1, "embed_tokens")]
    [InlineData("model.norm.weight", -1, "norm")]
    [InlineData("lm_head.weight", -1, "lm_head")]
    [InlineData("model.layers.2.self_attn.v_proj.lora_A.weight", 2, "self_attn.v_proj.lora_A")]
    [InlineData("transformer.h.5.attn.c_attn.weight", 5, "attn.c_attn")]
    public void Parses_hugging_face_names(string name, int layer, string module) =>
        ParameterLocation.Parse(name).Should().Be(new ParameterLocation(layer, module));

    [Fact]
    public void Rejects_an_empty_name() =>
        FluentActions.Invoking(() => ParameterLocation.Parse(" ")).Should().Throw<ArgumentException>();
}
