using Cipo.TorchSharp.Lora;
using Cipo.TorchSharp.Modeling;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Lora;

public sealed class LoraInjectorTests
{
    private static Tensor Ids() => tensor(TestModels.RandomIds(2 * 9, seed: 3).Select(i => (long)i).ToArray(), [2, 9]);

    private static bool Same(Tensor a, Tensor b) => (a - b).abs().max().item<float>() == 0;

    private static Dictionary<string, Tensor> Snapshot(CausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    /// <summary>A few SGD steps on the plain NLL of <see cref="Ids"/>.</summary>
    private static void Train(CausalLM model, int steps)
    {
        using var optimizer = optim.SGD(LoraInjector.AdapterParameters(model), 0.5);
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor ids = Ids();
            Tensor logits = model.forward(ids);
            nn.functional.cross_entropy(logits.narrow(1, 0, 8).reshape(-1, TestModels.Vocab), ids.narrow(1, 1, 8).reshape(-1)).backward();
            optimizer.step();
        }
    }

    [Fact]
    public void Inject_NamesAdaptersAndFreezesBase()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(std: 0.05);
        string[] hfNames = model.named_parameters().Select(p => p.name).ToArray();

        var adapters = LoraInjector.Inject(model, new LoraOptions { Enabled = true, Rank = 4 });

        adapters.Should().HaveCount(2 * 7);
        var names = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        names.Keys.Should().Contain("model.layers.0.self_attn.q_proj.lora_A.weight").And.Contain("model.layers.1.mlp.down_proj.lora_B.weight");
        names["model.layers.0.self_attn.q_proj.lora_A.weight"].shape.Should().Equal(4, 64);
        names.Where(p => hfNames.Contains(p.Key)).Should().OnlyContain(p => !p.Value.requires_grad);
        names.Where(p => !hfNames.Contains(p.Key)).Should().HaveCount(2 * 2 * 7).And.OnlyContain(p => p.Value.requires_grad);
    }

    [Fact]
    public void FreshAdapters_LeaveLogitsUnchanged()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(std: 0.05);
        Tensor before = model.forward(Ids()).detach();
        LoraInjector.Inject(model, new LoraOptions { Enabled = true });
        (model.forward(Ids()) - before).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Fact]
    public void Training_ChangesOnlyAdapters_AndMergeFoldsThemIn()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(std: 0.05);
        string[] hfNames = model.named_parameters().Select(p => p.name).ToArray();
        Dictionary<string, Tensor> initial = Snapshot(model);
        var adapters = LoraInjector.Inject(model, new LoraOptions { Enabled = true, Rank = 4, Alpha = 8 }, seed: 7);
        Dictionary<string, Tensor> adapterStart = LoraInjector.AdapterParameters(model).Select((p, i) => (i, p.detach().clone())).ToDictionary(x => x.i.ToString(), x => x.Item2);

        Train(model, steps: 3);

        Dictionary<string, Tensor> trained = Snapshot(model);
        foreach (string name in hfNames)
        {
            Same(trained[name], initial[name]).Should().BeTrue(name);
        }
        LoraInjector.AdapterParameters(model).Select((p, i) => Same(p, adapterStart[i.ToString()])).Should().Contain(false);
        model.eval();
        Tensor adaptedLogits = model.forward(Ids()).detach();
        var expected = adapters.ToDictionary(a => a.Key + ".weight", a => (initial[a.Key + ".weight"] + a.Value.Delta()).detach());

        LoraInjector.Merge(model).Should().Be(2 * 7);

        model.named_parameters().Select(p => p.name).Should().Equal(hfNames);
        model.parameters().Should().OnlyContain(p => p.requires_grad);
        var merged = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach ((string name, Tensor weight) in expected)
        {
            (merged[name] - weight).abs().max().item<float>().Should().BeLessThan(1e-6f, name);
        }
        (model.forward(Ids()) - adaptedLogits).abs().max().item<float>().Should().BeLessThan(1e-5f);
    }

    [Fact]
    public void Remove_RestoresBaseModel()
    {
        using var scope = NewDisposeScope();
        CausalLM model = TestModels.Create(std: 0.05);
        Tensor before = model.forward(Ids()).detach();
        LoraInjector.Inject(model, new LoraOptions { Enabled = true });
        Train(model, steps: 1);
        LoraInjector.Remove(model);
        LoraInjector.HasAdapters(model).Should().BeFalse();
        Same(model.forward(Ids()), before).Should().BeTrue();
    }

    [Fact]
    public void Validated_NamesTheField()
    {
        var options = new LoraOptions { Rank = 0, Alpha = -1, Dropout = 1, TargetModules = ["lm_head"] };
        var failures = options.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().HaveCount(4);
        failures.Should().Contain(e => e.Contains("Rank")).And.Contain(e => e.Contains("Alpha")).And.Contain(e => e.Contains("Dropout"))
            .And.Contain(e => e.Contains("LoraOptions.TargetModules") && e.Contains("lm_head"));
        new LoraOptions().Validated().Should().NotBeNull();
        new LoraOptions { TargetModules = [] }.Invoking(o => o.Validated()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().Contain("TargetModules");
        var act = () => LoraInjector.Inject(TestModels.Create(), new LoraOptions { Rank = 0 });
        act.Should().Throw<OptionsValidationException>().WithMessage("*Rank*");
    }
}
