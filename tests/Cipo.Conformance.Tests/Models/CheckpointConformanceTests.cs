using Cipo.Conformance.Tests.Infrastructure;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace Cipo.Conformance.Tests.Models;

/// <summary>
/// Every checkpoint folder of the conformance directory: load it, run the reference inputs, and match the independent
/// PyTorch forward (last-position logits, per-position argmax, log-probs of the input tokens); save, reload, match again.
/// </summary>
public sealed class CheckpointConformanceTests
{
    private const double Tolerance = 1e-4;
    private static readonly Dictionary<string, CausalLM> s_models = new();

    public static IEnumerable<object[]> Cases() => ReferenceLogits.AllCases();
    public static IEnumerable<object[]> Checkpoints() => ReferenceLogits.AllCheckpoints();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_ReferenceCase_MatchesIndependentPyTorchForward(string checkpoint, int caseIndex)
    {
        CausalLM model = Loaded(checkpoint);
        AssertMatches(model, ReferenceLogits.Cases(checkpoint)[caseIndex], $"{checkpoint}#{caseIndex}");
    }

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void SaveThenLoad_AsFloat32AndAsStored_StillMatchesEveryCase(string checkpoint)
    {
        CausalLM model = Loaded(checkpoint);
        // Saving in the dtype the weights were stored in (BF16, F16 or F32) is lossless, and so is F32.
        string firstFile = SafeTensorsCheckpoint.ListFiles(ConformanceDirectory.PathOf(checkpoint))[0];
        SafeTensorsDType.TryGetScalarType(SafeTensorsFile.ReadHeader(firstFile).Tensors[0].DType, out ScalarType stored).Should().BeTrue();
        foreach (ScalarType storeAs in new[] { ScalarType.Float32, stored }.Distinct())
        {
            string dir = Path.Combine(Path.GetTempPath(), "cipo-roundtrip-" + Guid.NewGuid().ToString("N"));
            try
            {
                HfCheckpoint.Save(model, dir, new ModelSaveOptions { StoreAs = storeAs, CopyFilesFrom = ConformanceDirectory.PathOf(checkpoint) });
                File.Exists(Path.Combine(dir, "config.json")).Should().BeTrue();
                using CausalLM reloaded = HfCheckpoint.Load(dir);
                IReadOnlyList<ReferenceCase> cases = ReferenceLogits.Cases(checkpoint);
                for (int i = 0; i < cases.Count; i++)
                {
                    AssertMatches(reloaded, cases[i], $"{checkpoint}#{i} after save as {storeAs}");
                }
                if (File.Exists(ConformanceDirectory.PathOf(checkpoint, "tokenizer.json")))
                {
                    File.Exists(Path.Combine(dir, "tokenizer.json")).Should().BeTrue("tokenizer files are copied with the weights");
                }
            }
            finally
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    private static void AssertMatches(CausalLM model, ReferenceCase reference, string label)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor ids = tensor(reference.InputIds, dtype: ScalarType.Int64).unsqueeze(0);
        Tensor logits = model.forward(ids)[0];                                             // [T, V]
        float[] last = logits[^1].data<float>().ToArray();
        last.Length.Should().Be(reference.LastLogits.Length, label);
        double maxError = last.Zip(reference.LastLogits, (a, b) => Math.Abs((double)a - b)).Max();
        maxError.Should().BeLessThanOrEqualTo(Tolerance, $"{label}: last_logits max abs error");

        long[] argmax = logits.argmax(-1).data<long>().ToArray();
        argmax.Should().Equal(reference.Argmax, $"{label}: argmax per position");

        if (reference.TokenLogpsOfInput.Length > 0)
        {
            long t = reference.InputIds.Length;
            Tensor logps = logits.narrow(0, 0, t - 1).log_softmax(-1)
                .gather(1, ids[0].narrow(0, 1, t - 1).unsqueeze(1)).squeeze(1);
            double[] got = logps.to(ScalarType.Float64).data<double>().ToArray();
            double logpError = got.Zip(reference.TokenLogpsOfInput, (a, b) => Math.Abs(a - b)).Max();
            logpError.Should().BeLessThanOrEqualTo(Tolerance, $"{label}: token_logps_of_input max abs error");
        }
    }

    private static CausalLM Loaded(string checkpoint)
    {
        lock (s_models)
        {
            if (!s_models.TryGetValue(checkpoint, out CausalLM? model))
            {
                model = HfCheckpoint.Load(ConformanceDirectory.PathOf(checkpoint));
                s_models[checkpoint] = model;
            }
            return model;
        }
    }
}
