namespace Cipo.Evaluation.Metrics;

/// <summary>How <see cref="KolmogorovSmirnov.TwoSample"/> computes the two-sided p-value (SciPy's <c>method</c> argument).</summary>
public enum KsMethod
{
    /// <summary>Exact when <c>max(n1, n2) &lt;= 10000</c>, else asymptotic; exact falls back to asymptotic when it fails (SciPy 1.10 rule).</summary>
    Auto = 0,

    /// <summary>Exact lattice-path count (Hodges 1958; Viehmann 2021), as SciPy's <c>_attempt_exact_2kssamp</c>.</summary>
    Exact = 1,

    /// <summary>Finite-n Kolmogorov distribution <c>kstwo.sf(D, round(m n / (m + n)))</c> (Simard &amp; L'Ecuyer 2011).</summary>
    Asymp = 2,
}

/// <summary>Result of a two-sample Kolmogorov–Smirnov test.</summary>
/// <param name="Statistic">D = max |F_a(x) − F_b(x)| over the pooled sample.</param>
/// <param name="PValue">Two-sided p-value.</param>
public readonly record struct KsResult(double Statistic, double PValue);

/// <summary>
/// Two-sided two-sample Kolmogorov–Smirnov test, reproducing <c>scipy.stats.ks_2samp</c> (SciPy 1.10.1,
/// <c>scipy/stats/_stats_py.py</c>, <c>_stats_pythran.py</c>, <c>_ksstats.py</c>).
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>SciPy's <c>MAX_AUTO_N</c>: <see cref="KsMethod.Auto"/> tries the exact method when both sizes are at most this.</summary>
    public const int MaxAutoN = 10000;

    /// <summary>
    /// Two-sided two-sample KS test as <c>scipy.stats.ks_2samp(a, b, alternative='two-sided', method=...)</c>.
    /// The statistic is computed as SciPy does: both samples sorted, ECDFs evaluated with right-continuous
    /// <c>searchsorted(side='right')</c> at every pooled value (so ties are handled on the pooled sorted values),
    /// <c>D = max(max(F_a − F_b), clip(−min(F_a − F_b), 0, 1))</c>. The returned statistic is that floating-point
    /// ECDF difference; the exact p-value uses SciPy's rounding <c>h = round(D · lcm(n1, n2))</c>.
    /// </summary>
    /// <param name="a">First sample (non-empty, no NaN).</param>
    /// <param name="b">Second sample (non-empty, no NaN).</param>
    /// <param name="method">Exact, asymptotic or automatic choice.</param>
    /// <returns>The statistic and two-sided p-value.</returns>
    /// <exception cref="ArgumentException">A sample is empty or holds NaN.</exception>
    public static KsResult TwoSample(IReadOnlyList<double> a, IReadOnlyList<double> b, KsMethod method = KsMethod.Auto)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            throw new ArgumentException("Samples passed to the KS test must not be empty.");
        }
        double[] x = Sorted(a, nameof(a));
        double[] y = Sorted(b, nameof(b));
        int n1 = x.Length, n2 = y.Length;
        double d = Statistic(x, y);

        long g = Gcd(n1, n2);
        long n1g = n1 / g, n2g = n2 / g;
        KsMethod mode = method;
        if (mode == KsMethod.Auto)
        {
            mode = Math.Max(n1, n2) <= MaxAutoN ? KsMethod.Exact : KsMethod.Asymp;
        }
        else if (mode == KsMethod.Exact && n1g >= int.MaxValue / (double)n2g)
        {
            mode = KsMethod.Asymp;
        }

        double prob = double.NaN;
        if (mode == KsMethod.Exact)
        {
            if (!TryExact(n1, n2, g, d, out prob))
            {
                mode = KsMethod.Asymp;
            }
        }
        if (mode == KsMethod.Asymp)
        {
            double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
            double en = m * n / (m + n);
            prob = KolmogorovDistribution.Sf(d, (long)Math.Round(en, MidpointRounding.ToEven));
        }
        return new KsResult(d, Math.Clamp(prob, 0.0, 1.0));
    }

    private static double[] Sorted(IReadOnlyList<double> values, string name)
    {
        var arr = new double[values.Count];
        for (int i = 0; i < arr.Length; i++)
        {
            arr[i] = values[i];
            if (double.IsNaN(arr[i]))
            {
                throw new ArgumentException("Sample holds NaN.", name);
            }
        }
        Array.Sort(arr);
        return arr;
    }

    private static double Statistic(double[] x, double[] y)
    {
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        void Visit(double v)
        {
            double diff = UpperBound(x, v) / (double)x.Length - UpperBound(y, v) / (double)y.Length;
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }
        foreach (double v in x) { Visit(v); }
        foreach (double v in y) { Visit(v); }
        double minS = Math.Clamp(-min, 0.0, 1.0);
        return minS > max ? minS : max;
    }

    /// <summary>Number of elements &lt;= v in a sorted array (numpy <c>searchsorted(side='right')</c>).</summary>
    private static int UpperBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }

    private static long Gcd(long p, long q)
    {
        while (q != 0) { (p, q) = (q, p % q); }
        return p;
    }

    /// <summary>SciPy 1.10 <c>_attempt_exact_2kssamp</c>, two-sided branch.</summary>
    private static bool TryExact(int n1, int n2, long g, double d, out double prob)
    {
        long lcm = n1 / g * n2;
        long h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        if (h == 0)
        {
            prob = 1.0;
            return true;
        }
        prob = n1 == n2 ? ProbOutsideSquare(n1, h) : OuterProbInsideMethod(n1, n2, g, h);
        return double.IsFinite(prob) && prob >= 0.0 && prob <= 1.0;
    }

    /// <summary>
    /// SciPy <c>_compute_prob_outside_square(n, h)</c>: P(D_{n,n} &gt;= h/n) =
    /// 2 Σ_k (−1)^(k−1) C(2n, n − k h) / C(2n, n), evaluated with a Horner-like scheme.
    /// </summary>
    internal static double ProbOutsideSquare(long n, long h)
    {
        double p = 0.0;
        long k = (long)Math.Floor(n / (double)h);
        while (k >= 0)
        {
            double p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /// <summary>
    /// SciPy <c>_compute_outer_prob_inside_method(m, n, g, h)</c>: proportion of lattice paths from (0,0) to (m,n)
    /// leaving the band |x/m − y/n| &lt; h/lcm(m,n), by Hodges' (1958) inside method with Viehmann's (2021)
    /// recursion for 1 − p.
    /// </summary>
    internal static double OuterProbInsideMethod(long m, long n, long g, long h)
    {
        if (m < n) { (m, n) = (n, m); }
        long mg = m / g, ng = n / g;
        long minj = 0, maxj = Math.Min((long)Math.Ceiling(h / (double)mg), n + 1);
        long curlen = maxj - minj;
        long lenA = Math.Min(2 * maxj + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        for (long t = minj; t < maxj; t++) { a[t] = 0.0; }
        for (long i = 1; i <= m; i++)
        {
            long lastminj = minj, lastlen = curlen;
            minj = Math.Max((long)Math.Floor((ng * i - h) / (double)mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((ng * i + h) / (double)mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                long j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                for (long t = maxj - minj; t < Math.Min(maxj - minj + (lastlen - curlen), lenA); t++) { a[t] = 1.0; }
            }
        }
        return a[maxj - minj - 1];
    }
}
