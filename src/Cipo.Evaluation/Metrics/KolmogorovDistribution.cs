namespace Cipo.Evaluation.Metrics;

/// <summary>
/// Survival function of the finite-n two-sided one-sample Kolmogorov statistic D_n (SciPy's <c>kstwo.sf</c>),
/// following SciPy 1.10 <c>scipy/stats/_ksstats.py</c> <c>_kolmogn</c>, i.e. the algorithm selection of
/// Simard &amp; L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov Distribution", J. Stat. Softw. 39(11):
/// Ruben–Gambino closed forms at the ends, exact 2 × Smirnov (Birnbaum–Tingey) for x ≥ 0.5 and in the upper tail,
/// the Durbin (1968) matrix method in the Marsaglia–Tsang–Wang (2003) form, and the Pelz–Good (1976) expansion
/// for large n. Where SciPy uses Pomeranz's (1974) recursion (n ≤ 140, 0.754693 &lt; n x² ≤ 4) this uses the
/// Durbin matrix method, which computes the same exact probability.
/// </summary>
public static class KolmogorovDistribution
{
    private const double Scale = 3.402823669209385e38; // 2^128, SciPy's _EP128
    private const int ScaleExponent = 128;

    /// <summary>P(D_n &gt; x) for the two-sided one-sample Kolmogorov statistic with sample size n.</summary>
    /// <param name="x">The statistic value.</param>
    /// <param name="n">Sample size (&gt; 0).</param>
    /// <returns>The survival probability, clipped to [0, 1]; NaN when n &lt;= 0 or x is NaN.</returns>
    public static double Sf(double x, long n)
    {
        if (n <= 0 || double.IsNaN(x)) { return double.NaN; }
        if (x >= 1.0) { return 0.0; }
        if (x <= 0.0) { return 1.0; }
        double t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5) { return 1.0; }
            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                for (long i = 1; i <= n; i++) { prob *= i * (1.0 / n) * (2 * t - 1); }
            }
            else
            {
                prob = Math.Exp(LogNFactorialDivNPowN(n) + n * Math.Log(2 * t - 1));
            }
            return Clip(1.0 - prob);
        }
        if (t >= n - 1) { return Clip(2 * Math.Pow(1.0 - x, n)); }
        if (x >= 0.5) { return Clip(2 * SmirnovSf(n, x)); }

        double nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 4) { return Clip(1.0 - DurbinCdf(n, x)); }
            return Clip(2 * SmirnovSf(n, x));
        }
        if (nxSquared >= 370.0) { return 0.0; }
        if (nxSquared >= 2.2) { return Clip(2 * SmirnovSf(n, x)); }
        double cdf;
        if (nxSquared >= 18.0) { cdf = 1.0; }
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4) { cdf = DurbinCdf(n, x); }
        else { cdf = PelzGoodCdf(n, x); }
        return Clip(1.0 - cdf);
    }

    /// <summary>
    /// One-sided Smirnov survival P(D_n⁺ ≥ x), exact Birnbaum–Tingey (1951) sum
    /// x Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1) (all terms positive; summed in log space).
    /// </summary>
    /// <param name="n">Sample size (&gt; 0).</param>
    /// <param name="x">Statistic in (0, 1).</param>
    /// <returns>The one-sided survival probability.</returns>
    public static double SmirnovSf(long n, double x)
    {
        if (x <= 0) { return 1.0; }
        if (x >= 1) { return 0.0; }
        long jMax = (long)Math.Floor(n * (1 - x));
        double sum = 0.0, logC = 0.0;
        for (long j = 0; j <= jMax; j++)
        {
            double left = 1 - x - j / (double)n;
            if (j > 0) { logC += Math.Log((n - j + 1) / (double)j); }
            if (left <= 0)
            {
                if (n - j == 0) { sum += Math.Exp(logC + (j - 1) * Math.Log(x + j / (double)n)); }
                continue;
            }
            sum += Math.Exp(logC + (n - j) * Math.Log(left) + (j - 1) * Math.Log(x + j / (double)n));
        }
        return Math.Clamp(x * sum, 0.0, 1.0);
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);

    private static double LogNFactorialDivNPowN(long n)
    {
        double[] c =
        [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
            -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ];
        double rn = 1.0 / n, z = rn / n, poly = 0.0;
        foreach (double ci in c) { poly = poly * z + ci; }
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    /// <summary>Durbin (1968) matrix method, Marsaglia–Tsang–Wang (2003) form: P(D_n &lt;= d) (SciPy <c>_kolmogn_DMTW</c>).</summary>
    internal static double DurbinCdf(long n, double d)
    {
        if (d >= 1.0) { return 1.0; }
        double nd = n * d;
        if (nd <= 0.5) { return 0.0; }
        int k = (int)Math.Ceiling(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        var v = new double[m];
        var w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;

        var hm = new double[m, m];
        for (int i = 1; i < m; i++)
        {
            for (int r = i - 1; r < m; r++) { hm[r, i] = w[r - (i - 1)]; }
        }
        for (int r = 0; r < m; r++) { hm[r, 0] = v[r]; }
        for (int c = 0; c < m; c++) { hm[m - 1, c] = v[m - 1 - c]; }

        var pwr = new double[m, m];
        for (int i = 0; i < m; i++) { pwr[i, i] = 1.0; }
        long nn = n;
        long expnt = 0, hExpnt = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                pwr = MatMul(pwr, hm);
                expnt += hExpnt;
            }
            hm = MatMul(hm, hm);
            hExpnt *= 2;
            if (Math.Abs(hm[k - 1, k - 1]) > Scale)
            {
                for (int r = 0; r < m; r++) { for (int c = 0; c < m; c++) { hm[r, c] /= Scale; } }
                hExpnt += ScaleExponent;
            }
            nn /= 2;
        }
        double p = pwr[k - 1, k - 1];
        for (long i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < 1.0 / Scale)
            {
                p *= Scale;
                expnt -= ScaleExponent;
            }
        }
        if (expnt != 0) { p = Math.ScaleB(p, (int)expnt); }
        return Clip(p);
    }

    private static double[,] MatMul(double[,] a, double[,] b)
    {
        int m = a.GetLength(0);
        var c = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int l = 0; l < m; l++)
            {
                double ail = a[i, l];
                if (ail == 0) { continue; }
                for (int j = 0; j < m; j++) { c[i, j] += ail * b[l, j]; }
            }
        }
        return c;
    }

    /// <summary>Pelz–Good (1976) approximation to P(D_n &lt;= x), as SciPy <c>_kolmogn_PelzGood</c>.</summary>
    internal static double PelzGoodCdf(long n, double x)
    {
        if (x <= 0.0) { return 0.0; }
        if (x >= 1.0) { return 1.0; }
        double pi2 = Math.PI * Math.PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
        double sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        double qlog = -pi2 / 8 / z2;
        if (qlog < -708) { return 0.0; }
        double q = Math.Exp(qlog);

        double k1a = -z2, k1b = pi2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * pi2 / 4;
        double k2c = pi4 * (1 - 2 * z2) / 16;
        double k3d = pi6 * (5 - 30 * z2) / 64;
        double k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = pi2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.Pow(z, 8);

        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (int k = maxk; k >= 1; k--)
        {
            double mm = 2 * k - 1;
            double m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2;
            double qp = Math.Pow(q, 8 * k);
            s0 = s0 * qp + 1.0;
            s1 = s1 * qp + (k1a + k1b * m2);
            s2 = s2 * qp + (k2a + k2b * m2 + k2c * m4);
            s3 = s3 * qp + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        s0 = s0 * q * sqrt2Pi / z;
        s1 = s1 * q * sqrt2Pi / (6 * z4);
        s2 = s2 * q * sqrt2Pi / (72 * Math.Pow(z, 7));
        s3 = s3 * q * sqrt2Pi / (6480 * Math.Pow(z, 10));

        double q2 = Math.Exp(-pi2 / 2 / z2);
        double sqrt3z = Math.Sqrt(3) * z;
        double k2extra = 0, k3extra = 0;
        for (int k = maxk; k >= 1; k--)
        {
            double ks2 = (double)k * k;
            double qp = Math.Pow(q2, ks2);
            double kspi = Math.PI * k;
            k2extra += ks2 * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
        }
        s2 += k2extra * (pi2 * sqrt2Pi / (-36 * z3));
        s3 += k3extra * (pi2 * sqrt2Pi / (216 * z6));
        double nd = n;
        return s0 + s1 / Math.Sqrt(nd) + s2 / nd + s3 / Math.Pow(nd, 1.5);
    }
}
