namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// Llama-3 style rotary frequency scaling (<c>rope_scaling.rope_type == "llama3"</c> in HF config.json):
/// low frequencies are divided by <see cref="Factor"/>, high frequencies kept, the band between smoothly interpolated.
/// </summary>
/// <param name="Factor">Divisor for long wavelengths (<c>factor</c>, 8 for Llama 3.1).</param>
/// <param name="LowFrequencyFactor">Wavelength threshold divisor for the low band (<c>low_freq_factor</c>).</param>
/// <param name="HighFrequencyFactor">Wavelength threshold divisor for the high band (<c>high_freq_factor</c>).</param>
/// <param name="OriginalMaxPositionEmbeddings">Context length the model was trained at (<c>original_max_position_embeddings</c>).</param>
public sealed record RopeScaling(double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalMaxPositionEmbeddings)
{
    /// <summary>Applies the scaling to base inverse frequencies, as transformers' <c>_compute_llama3_parameters</c>.</summary>
    public double[] Apply(double[] inverseFrequencies)
    {
        double lowWavelength = OriginalMaxPositionEmbeddings / LowFrequencyFactor;
        double highWavelength = OriginalMaxPositionEmbeddings / HighFrequencyFactor;
        var scaled = new double[inverseFrequencies.Length];
        for (int i = 0; i < scaled.Length; i++)
        {
            double f = inverseFrequencies[i];
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength)
            {
                scaled[i] = f; // high frequency: untouched
            }
            else if (wavelength > lowWavelength)
            {
                scaled[i] = f / Factor; // low frequency: fully scaled
            }
            else
            {
                double smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFrequencyFactor) / (HighFrequencyFactor - LowFrequencyFactor);
                scaled[i] = (1 - smooth) * f / Factor + smooth * f;
            }
        }
        return scaled;
    }
}
