using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Modeling;

public sealed class CausalLMTests
{
    private static DecoderConfig Tiny(string type = "llama", bool tied = false) => DecoderConfig.Small(vocabSize: 50, hiddenSize: 32, layers: 2, heads: 4, kvHeads: 2, tieWordEmbeddings: tied) with
    {
        ModelType = type,
        QkvBias = type == "qwen2",
        QkNorm = type == "qwen3",
    };

    [Fact]
    public void Parameters_Llama_AreNamedExactlyAsHuggingFace()
    {
        using var model = new CausalLM(Tiny());
        string[] names = model.named_parameters().Select(p => p.name).ToArray();
        names.Should().BeEquivalentTo(
            "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
            "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.o_proj.weight",
            "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
            "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
            "model.layers.1.self_attn.v_proj.weight", "model.layers.1.self_attn.o_proj.weight",
            "model.layers.1.mlp.gate_proj.weight", "model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.down_proj.weight",
            "model.layers.1.input_layernorm.weight", "model.layers.1.post_attention_layernorm.weight");
    }

    [Fact]
    public void Parameters_Qwen2_HaveQkvBiasOnly()
    {
        using var model = new CausalLM(Tiny("qwen2"));
        string[] names = model.named_parameters().Select(p => p.name).Where(n => n.StartsWith("model.layers.0.self_attn", StringComparison.Ordinal)).ToArray();
        names.Should().Contain(["model.layers.0.self_attn.q_proj.bias", "model.layers.0.self_attn.k_proj.bias", "model.layers.0.self_attn.v_proj.bias"]);
        names.Should().NotContain("model.layers.0.self_attn.o_proj.bias");
    }

    [Fact]
    public void Parameters_Qwen3Tied_HaveQkNormAndNoLmHead()
    {
        using var model = new CausalLM(Tiny("qwen3", tied: true));
        string[] names = model.named_parameters().Select(p => p.name).ToArray();
        names.Should().Contain(["model.layers.0.self_attn.q_norm.weight", "model.layers.0.self_attn.k_norm.weight"]);
        names.Should().NotContain("lm_head.weight");
        model.LmHeadWeight.Should().BeSameAs(model.model.embed_tokens.weight);
    }

    [Fact]
    public void InitializeWeights_SameSeed_SameWeights_OtherSeed_Differs()
    {
        using var a = new CausalLM(Tiny()).InitializeWeights(7);
        using var b = new CausalLM(Tiny()).InitializeWeights(7);
        using var c = new CausalLM(Tiny()).InitializeWeights(8);
        a.model.embed_tokens.weight.allclose(b.model.embed_tokens.weight, rtol: 0, atol: 0).Should().BeTrue();
        a.model.embed_tokens.weight.allclose(c.model.embed_tokens.weight, rtol: 0, atol: 0).Should().BeFalse();
        a.model.norm.weight.sum().item<float>().Should().Be(32f);
        a.model.embed_tokens.weight.std().item<float>().Should().BeApproximately(0.02f, 0.003f);
    }

    [Fact]
    public void Training_FewAdamSteps_ReducesLossAndEveryParameterGetsAGradient()
    {
        using var model = new CausalLM(Tiny("qwen3", tied: true)).InitializeWeights(1);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        using Tensor ids = tensor(new long[] { 1, 5, 9, 13, 17, 21, 25, 29 }).unsqueeze(0);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor logits = model.forward(ids.narrow(1, 0, 7));
            Tensor loss = nn.functional.cross_entropy(logits.view(-1, 50), ids.narrow(1, 1, 7).reshape(-1));
            loss.backward();
            if (step == 0)
            {
                model.parameters().Should().OnlyContain(p => p.requires_grad && !ReferenceEquals(p.grad, null));
                first = loss.item<float>();
            }
            optimizer.step();
            last = loss.item<float>();
        }
        last.Should().BeLessThan(first * 0.5f);
    }

    [Fact]
    public void Forward_LeftPaddedRow_EqualsTheUnpaddedRow()
    {
        using var model = new CausalLM(Tiny("qwen2")).InitializeWeights(3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor alone = model.forward(tensor(new long[] { 4, 8, 15 }).unsqueeze(0))[0];
        Tensor batch = model.forward(
            tensor(new long[,] { { 0, 0, 4, 8, 15 }, { 16, 23, 42, 4, 8 } }),
            attentionMask: tensor(new long[,] { { 0, 0, 1, 1, 1 }, { 1, 1, 1, 1, 1 } }));
        (batch[0].narrow(0, 2, 3) - alone).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }
}
