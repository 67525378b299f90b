namespace Cipo.Embedded.Tests.Build;

/// <summary>
/// No Cipo code creates a TorchSharp Scalar implicitly — neither by converting a number (<c>x * 0.5</c>, <c>x.pow(2)</c>) nor
/// by calling a TorchSharp method that does so inside (<c>a + b</c> and <c>add(b)</c> pass <c>alpha = 1</c>; <c>square()</c>
/// is <c>pow(2)</c>; AdamW's step). TorchSharp frees such a scalar in its finalizer, which another thread's garbage
/// collection can run while libtorch still reads it: "Unknown scalar type" under concurrency (issue 12, item 13).
/// </summary>
public sealed class ImplicitScalarTests
{
    private static readonly string[] s_assemblies = ["Cipo.TorchSharp.dll", "Cipo.Embedded.dll"];

    [Fact]
    public void Scanner_FindsTheKnownCreators_SoAnEmptyScanMeansSomething()
    {
        var scanner = new ImplicitScalarScanner(typeof(global::TorchSharp.Scalar).Assembly.Location);

        scanner.TorchSharpMethodsThatCreateScalars.Should().BeGreaterThan(100);
        scanner.CreatesScalar("TorchSharp.torch+Tensor::add(TorchSharp.torch+Tensor)").Should().BeTrue("add passes alpha = 1");
        scanner.CreatesScalar("TorchSharp.torch+Tensor::op_Multiply(TorchSharp.torch+Tensor,Double)").Should().BeTrue();
        scanner.CreatesScalar("TorchSharp.torch+Tensor::square()").Should().BeTrue("square is pow(2)");
        scanner.CreatesScalar("TorchSharp.Modules.AdamW::step(System.Func`1<TorchSharp.torch+Tensor>)").Should().BeTrue();
        scanner.CreatesScalar("TorchSharp.torch+Tensor::add(TorchSharp.torch+Tensor,TorchSharp.Scalar)").Should().BeFalse("an explicit alpha");
        scanner.CreatesScalar("TorchSharp.torch+Tensor::op_Multiply(TorchSharp.torch+Tensor,TorchSharp.torch+Tensor)").Should().BeFalse();
        scanner.CreatesScalar("TorchSharp.torch+Tensor::mul(TorchSharp.Scalar)").Should().BeFalse();
    }

    [Fact]
    public void CipoCode_CreatesNoScalarImplicitly()
    {
        var scanner = new ImplicitScalarScanner(typeof(global::TorchSharp.Scalar).Assembly.Location);

        string[] sites = s_assemblies.SelectMany(a => scanner.Scan(Path.Combine(AppContext.BaseDirectory, a))).Distinct().Order(StringComparer.Ordinal).ToArray();

        sites.Should().BeEmpty("each of these creates a Scalar that a finalizer frees (use the explicit scalars of Cipo.TorchSharp.TorchScalars):\n"
            + string.Join("\n", sites));
    }
}
