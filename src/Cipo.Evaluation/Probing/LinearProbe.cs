// Written by hand: a multinomial logistic regression on a few hundred small vectors needs no ML library; plain C# keeps
// Cipo.Evaluation free of TorchSharp and the result deterministic.
namespace Cipo.Evaluation.Probing;

/// <summary>
/// A linear probe (Alain &amp; Bengio, 2016, "Understanding intermediate layers using linear classifier probes"):
/// multinomial logistic regression with L2 regularisation on standardised features, fitted by full-batch gradient
/// descent from zero weights, so the same data always gives the same probe.
/// </summary>
public sealed class LinearProbe
{
    private readonly double[] _mean, _scale;
    private readonly double[,] _weights; // [class, feature + 1]; the last column is the bias.

    private LinearProbe(IReadOnlyList<string> classes, double[] mean, double[] scale, double[,] weights)
    {
        Classes = classes;
        _mean = mean;
        _scale = scale;
        _weights = weights;
    }

    /// <summary>The labels it predicts, in order of first appearance in the training data.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Fits a probe to <paramref name="features"/> (one vector per example, all the same length) and <paramref name="labels"/>.</summary>
    /// <param name="features">Training vectors.</param>
    /// <param name="labels">Their labels.</param>
    /// <param name="l2">Weight of the L2 penalty on the weights (not the bias). The default value is 0.01.</param>
    /// <param name="steps">Gradient steps. The default value is 500.</param>
    /// <param name="learningRate">Step size on the standardised features. The default value is 0.5.</param>
    /// <exception cref="ArgumentException">No examples, a count mismatch or vectors of different lengths.</exception>
    public static LinearProbe Fit(IReadOnlyList<float[]> features, IReadOnlyList<string> labels, double l2 = 0.01, int steps = 500, double learningRate = 0.5)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException($"Need one label per vector and at least one vector; got {features.Count} vectors and {labels.Count} labels.", nameof(labels));
        }
        int n = features.Count, d = features[0].Length;
        if (features.Any(f => f.Length != d))
        {
            throw new ArgumentException("Every vector must have the same length.", nameof(features));
        }
        string[] classes = labels.Distinct(StringComparer.Ordinal).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        int k = classes.Length;

        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += features[i][j];
            m /= n;
            double v = 0;
            for (int i = 0; i < n; i++) v += (features[i][j] - m) * (features[i][j] - m);
            mean[j] = m;
            scale[j] = Math.Sqrt(v / n) is double s && s > 1e-8 ? s : 1.0;
        }
        double[][] x = features.Select(f => Enumerable.Range(0, d).Select(j => (f[j] - mean[j]) / scale[j]).Append(1.0).ToArray()).ToArray();
        int[] y = labels.Select(l => index[l]).ToArray();

        var w = new double[k, d + 1];
        var grad = new double[k, d + 1];
        var p = new double[k];
        for (int step = 0; step < steps; step++)
        {
            Array.Clear(grad);
            for (int i = 0; i < n; i++)
            {
                Softmax(w, x[i], p);
                for (int c = 0; c < k; c++)
                {
                    double g = p[c] - (y[i] == c ? 1 : 0);
                    for (int j = 0; j <= d; j++) grad[c, j] += g * x[i][j];
                }
            }
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j <= d; j++)
                {
                    double penalty = j < d ? l2 * w[c, j] : 0;
                    w[c, j] -= learningRate * (grad[c, j] / n + penalty);
                }
            }
        }
        return new LinearProbe(classes, mean, scale, w);
    }

    /// <summary>The most likely label of <paramref name="feature"/>.</summary>
    public string Predict(float[] feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Length != _mean.Length)
        {
            throw new ArgumentException($"Expected a vector of length {_mean.Length}; got {feature.Length}.", nameof(feature));
        }
        double[] x = Enumerable.Range(0, _mean.Length).Select(j => (feature[j] - _mean[j]) / _scale[j]).Append(1.0).ToArray();
        var p = new double[Classes.Count];
        Softmax(_weights, x, p);
        int best = 0;
        for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        return Classes[best];
    }

    /// <summary>Share of <paramref name="features"/> whose predicted label is the given one; NaN for none.</summary>
    public double Accuracy(IReadOnlyList<float[]> features, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        return features.Count == 0 ? double.NaN : features.Select((f, i) => Predict(f) == labels[i] ? 1.0 : 0.0).Average();
    }

    private static void Softmax(double[,] w, double[] x, double[] p)
    {
        int k = p.Length, d = x.Length;
        double max = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            double z = 0;
            for (int j = 0; j < d; j++) z += w[c, j] * x[j];
            p[c] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) { p[c] = Math.Exp(p[c] - max); sum += p[c]; }
        for (int c = 0; c < k; c++) p[c] /= sum;
    }
}
