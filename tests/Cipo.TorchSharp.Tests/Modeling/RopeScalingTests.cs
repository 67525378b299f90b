using Cipo.TorchSharp.Modeling;

namespace Cipo.TorchSharp.Tests.Modeling;

public sealed class RopeScalingTests
{
    // Llama 3.1 settings: factor 8, low 1, high 4, original context 8192 → wavelength bands 2048 and 8192.
    private static readonly RopeScaling s_llama31 = new(8, 1, 4, 8192);

    [Fact]
    public void Apply_HighFrequency_IsUnchanged()
    {
        double f = 2 * Math.PI / 100; // wavelength 100 < 2048
        s_llama31.Apply([f])[0].Should().Be(f);
    }

    [Fact]
    public void Apply_LowFrequency_IsDividedByFactor()
    {
        double f = 2 * Math.PI / 20000; // wavelength 20000 > 8192
        s_llama31.Apply([f])[0].Should().BeApproximately(f / 8, 1e-18);
    }

    [Fact]
    public void Apply_MiddleBand_InterpolatesSmoothly()
    {
        double f = 2 * Math.PI / 4096; // wavelength 4096: smooth = (8192/4096 - 1) / (4 - 1) = 1/3
        double expected = (1 - 1.0 / 3) * f / 8 + 1.0 / 3 * f;
        s_llama31.Apply([f])[0].Should().BeApproximately(expected, 1e-15);
    }
}
