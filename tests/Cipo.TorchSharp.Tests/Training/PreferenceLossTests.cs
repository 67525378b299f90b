using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests.Training;

public sealed class PreferenceLossTests
{
    [Fact]
    public void Sigmoid_PolicyEqualsReference_IsLn2()
    {
        using var scope = NewDisposeScope();
        Tensor logps = tensor(new[] { -3.0, -10.0, -0.5 });
        Tensor lengths = tensor(new[] { 3.0, 5.0, 1.0 });
        var x = new PreferenceLossInputs(logps, logps * 2, logps, logps * 2, lengths, lengths, Beta: 0.1);

        Tensor loss = PreferenceLosses.Get("sigmoid").PerPairLoss(x);

        loss.data<double>().ToArray().Should().AllSatisfy(v => v.Should().BeApproximately(Math.Log(2), 1e-12));
    }

    [Fact]
    public void Get_UnknownName_ListsValidNames()
    {
        var act = () => PreferenceLosses.Get("dpo");
        act.Should().Throw<ArgumentException>().WithMessage("*'dpo'*sigmoid*hinge*ipo*robust*nca_pair*sppo_hard*apo_zero*sigmoid_norm*npo*simnpo*");
        PreferenceLosses.Names.Should().HaveCount(12);
    }

    [Fact]
    public void GradAscent_IsTheMeanTokenLogProbOfTheForgetSide_AndIgnoresChosenAndReference()
    {
        using var scope = NewDisposeScope();
        Tensor rejected = tensor(new[] { -6.0, -2.0 });
        Tensor rejectedLengths = tensor(new[] { 3.0, 4.0 });
        var x = new PreferenceLossInputs(tensor(new[] { -1.0, -9.0 }), rejected, tensor(new[] { 5.0, 5.0 }), tensor(new[] { -7.0, 1.0 }),
            tensor(new[] { 2.0, 2.0 }), rejectedLengths, Beta: 0.1);

        double[] loss = PreferenceLosses.Get("grad_ascent").PerPairLoss(x).data<double>().ToArray();

        loss.Should().Equal(-2.0, -0.5);
    }

    [Fact]
    public void Sft_IsTheMeanTokenNllOfTheChosenSide()
    {
        using var scope = NewDisposeScope();
        var x = new PreferenceLossInputs(tensor(new[] { -6.0, -1.0 }), tensor(new[] { -100.0, -100.0 }), tensor(new[] { 0.0, 0.0 }),
            tensor(new[] { 0.0, 0.0 }), tensor(new[] { 3.0, 4.0 }), tensor(new[] { 1.0, 1.0 }), Beta: 0.1);

        double[] loss = PreferenceLosses.Get("sft").PerPairLoss(x).data<double>().ToArray();

        loss.Should().Equal(2.0, 0.25);
    }

    [Fact]
    public void DpoLoss_ParameterGradient_MatchesCentralFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var model = new CausalLM(TestModels.LlamaConfig(), ScalarType.Float64).InitializeWeights(seed: 3, std: 0.1);
        TokenizedPair[] pairs = Enumerable.Range(0, 3).Select(i => new TokenizedPair(
            TestModels.RandomIds(3 + i, 10 * i + 1), TestModels.RandomIds(4, 10 * i + 2), TestModels.RandomIds(2 + i, 10 * i + 3))).ToArray();
        TokenizedSequence[] rows = [.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)];
        (Tensor ids, Tensor attention, Tensor completion) = SequenceBatch.Build(rows, CPU);
        // A reference offset from the policy, so the loss sits away from its symmetric point.
        Tensor reference = tensor(ReferenceLogProbs.Compute(model, rows)) + tensor(new[] { 0.7, -0.3, 0.2, -0.5, 0.4, 0.1 });
        IPreferenceLoss loss = PreferenceLosses.Get("sigmoid");

        Tensor Loss()
        {
            (_, Tensor sum, Tensor count) = CompletionLogProbs.Compute(model, ids, attention, completion, chunkSize: 2);
            Tensor len = count.to(ScalarType.Float64);
            var x = new PreferenceLossInputs(sum.narrow(0, 0, 3), sum.narrow(0, 3, 3), reference.narrow(0, 0, 3), reference.narrow(0, 3, 3),
                len.narrow(0, 0, 3), len.narrow(0, 3, 3), Beta: 0.5, LabelSmoothing: 0.1);
            return loss.PerPairLoss(x).mean();
        }

        model.zero_grad();
        Loss().backward();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var random = new Random(11);

        double Numeric(Tensor p, long index, double eps)
        {
            using var noGrad = no_grad();
            Tensor flat = p.view(-1);
            double original = flat[index].item<double>();
            flat[index] = original + eps;
            double plus = Loss().item<double>();
            flat[index] = original - eps;
            double minus = Loss().item<double>();
            flat[index] = original;
            return (plus - minus) / (2 * eps);
        }

        // Float64 end to end (RmsNorm keeps float64), so every parameter gets the strict check: head, final norm, and the body.
        string[] body = parameters.Keys.Where(n => n.StartsWith("model.layers.", StringComparison.Ordinal) || n.StartsWith("model.embed", StringComparison.Ordinal)).ToArray();
        string[] checkedNames = ["lm_head.weight", "lm_head.weight", "model.norm.weight", .. Enumerable.Range(0, 8).Select(_ => body[random.Next(body.Length)])];
        foreach (string name in checkedNames)
        {
            var p = parameters[name];
            long index = random.NextInt64(p.numel());
            double analytic = p.grad!.reshape(-1)[index].item<double>();
            double numeric = Numeric(p, index, 1e-6);
            Math.Abs(analytic - numeric).Should().BeLessThanOrEqualTo(1e-4 * Math.Max(Math.Abs(numeric), 1e-3), $"{name}[{index}] analytic {analytic} numeric {numeric}");
        }
    }
}
