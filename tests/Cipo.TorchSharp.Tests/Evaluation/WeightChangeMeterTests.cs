using Cipo.Evaluation.Reports;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Evaluation;
using Cipo.TorchSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Evaluation;

public sealed class WeightChangeMeterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cipo-weight-change-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) { Directory.Delete(_folder, recursive: true); }
    }

    [Fact]
    public void Unchanged_model_has_zero_change_in_every_module()
    {
        using CausalLM model = TestModels.Create();
        using WeightSnapshot before = WeightSnapshot.Capture(model);

        IReadOnlyList<WeightChange> changes = WeightChangeMeter.Compare(before, model);

        changes.Should().NotBeEmpty();
        changes.Should().OnlyContain(c => c.RelativeChange == 0.0);
    }

    [Fact]
    public void Scaling_one_module_by_a_known_factor_shows_exactly_that_change_there_and_none_elsewhere()
    {
        using CausalLM model = TestModels.Create();
        using WeightSnapshot before = WeightSnapshot.Capture(model);
        // W → 1.25 W gives ‖ΔW‖ / ‖W‖ = 0.25 whatever W is.
        using (no_grad())
        {
            model.named_parameters().Single(p => p.name == "model.layers.1.mlp.down_proj.weight").parameter.mul_(1.25);
        }

        IReadOnlyList<WeightChange> changes = WeightChangeMeter.Compare(before, model);

        changes.Single(c => c.Layer == 1 && c.Module == "mlp.down_proj").RelativeChange.Should().BeApproximately(0.25, 1e-6);
        changes.Where(c => !(c.Layer == 1 && c.Module == "mlp.down_proj")).Should().OnlyContain(c => c.RelativeChange == 0.0);
    }

    [Fact]
    public void Snapshot_is_a_copy_that_training_does_not_change()
    {
        using CausalLM model = TestModels.Create();
        using WeightSnapshot before = WeightSnapshot.Capture(model);
        using (no_grad())
        {
            foreach (var (_, parameter) in model.named_parameters()) { parameter.add_(1.0); }
        }

        WeightChangeMeter.Compare(before, model).Should().OnlyContain(c => c.RelativeChange > 0);
    }

    [Fact]
    public void Module_with_weight_and_bias_is_measured_over_both_together()
    {
        DecoderConfig config = TestModels.LlamaConfig() with { ModelType = "qwen2", QkvBias = true };
        using CausalLM model = TestModels.Create(config);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Tensor weight = parameters["model.layers.0.self_attn.q_proj.weight"], bias = parameters["model.layers.0.self_attn.q_proj.bias"];
        using (no_grad()) { bias.fill_(0.5); }
        double weightSquares = weight.square().sum(ScalarType.Float64).item<double>();
        double biasSquares = bias.square().sum(ScalarType.Float64).item<double>();
        using WeightSnapshot before = WeightSnapshot.Capture(model);
        using (no_grad()) { bias.mul_(3.0); }

        double expected = Math.Sqrt(4 * biasSquares) / Math.Sqrt(weightSquares + biasSquares);
        WeightChangeMeter.Compare(before, model).Single(c => c.Layer == 0 && c.Module == "self_attn.q_proj")
            .RelativeChange.Should().BeApproximately(expected, 1e-6);
    }

    [Fact]
    public void Saved_folder_and_live_model_give_the_same_changes_as_an_in_memory_snapshot()
    {
        using CausalLM model = TestModels.Create(TestModels.Qwen3Config());
        HfCheckpoint.Save(model, _folder);
        using WeightSnapshot inMemory = WeightSnapshot.Capture(model);
        using WeightSnapshot saved = WeightSnapshot.FromFolder(_folder);
        using (no_grad())
        {
            model.named_parameters().Single(p => p.name == "model.layers.0.self_attn.k_norm.weight").parameter.mul_(0.5);
            model.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter.mul_(1.1);
        }

        IReadOnlyList<WeightChange> fromFolder = WeightChangeMeter.Compare(saved, model);
        IReadOnlyList<WeightChange> fromMemory = WeightChangeMeter.Compare(inMemory, model);

        fromFolder.Should().BeEquivalentTo(fromMemory, o => o.WithStrictOrdering().Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6)).WhenTypeIs<double>());
        fromFolder.Single(c => c.Layer == 0 && c.Module == "self_attn.k_norm").RelativeChange.Should().BeApproximately(0.5, 1e-6);
        fromFolder.Single(c => c.Layer == -1 && c.Module == "embed_tokens").RelativeChange.Should().BeApproximately(0.1, 1e-6);
        fromFolder.Should().NotContain(c => c.Module == "lm_head", "the Qwen3 test model ties its head to the embeddings");
    }

    [Fact]
    public void Two_saved_folders_are_compared_tensor_by_tensor()
    {
        using CausalLM model = TestModels.Create();
        string first = Path.Combine(_folder, "before"), second = Path.Combine(_folder, "after");
        HfCheckpoint.Save(model, first);
        using (no_grad()) { model.lm_head!.weight!.mul_(2.0); }
        HfCheckpoint.Save(model, second);
        using WeightSnapshot before = WeightSnapshot.FromFolder(first);
        using WeightSnapshot after = WeightSnapshot.FromFolder(second);

        IReadOnlyList<WeightChange> changes = WeightChangeMeter.Compare(before, after);

        changes.Single(c => c.Module == "lm_head").Layer.Should().Be(-1);
        changes.Single(c => c.Module == "lm_head").RelativeChange.Should().BeApproximately(1.0, 1e-6);
        changes.Where(c => c.Module != "lm_head").Should().OnlyContain(c => c.RelativeChange == 0.0);
        changes.Select(c => (c.Layer, c.Module)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Different_architectures_are_refused_with_the_parameter_named()
    {
        using CausalLM small = TestModels.Create();
        using CausalLM wider = TestModels.Create(TestModels.LlamaConfig() with { IntermediateSize = TestModels.LlamaConfig().IntermediateSize * 2 });
        using WeightSnapshot before = WeightSnapshot.Capture(small);

        FluentActions.Invoking(() => WeightChangeMeter.Compare(before, wider))
            .Should().Throw<ArgumentException>().WithMessage("*mlp.*_proj.weight*same architecture*");
    }
}
