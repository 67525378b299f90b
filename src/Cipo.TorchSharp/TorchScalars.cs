using TorchSharp;
using static TorchSharp.torch;

namespace Cipo.TorchSharp;

// Hand-written: TorchSharp 0.107 has no dispose-scope-owned Scalar; these helpers are the explicit scalars its operators lack.

/// <summary>
/// Explicit TorchSharp scalars, and the tensor arithmetic Cipo needs written with them. TorchSharp turns a bare number
/// into a <see cref="Scalar"/> (<c>x * 0.5</c>, <c>x.square()</c>, and inside <c>a + b</c> and <c>a.add(b)</c>, whose
/// <c>alpha</c> is 1) that only its finalizer frees; the JIT lets that object die as soon as its handle is read, so a
/// garbage collection triggered by another thread can run the finalizer while libtorch still reads the scalar
/// ("Unknown scalar type", "Expected false to be true … toFloat"). Cipo code calls these instead — a test reads its IL
/// and fails on any implicit conversion: constants live as long as the process, and every other scalar is disposed
/// right after the one call that reads it.
/// </summary>
public static class TorchScalars
{
    /// <summary>The integer 1, TorchSharp's default <c>alpha</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 2, the exponent of <see cref="Squared"/>.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a², as <c>square()</c> (which is <c>pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);

    /// <summary>a · k.</summary>
    public static Tensor Times(this Tensor a, double k)
    {
        using Scalar s = k.ToScalar();
        return a.mul(s);
    }

    /// <summary>a / k.</summary>
    public static Tensor DividedBy(this Tensor a, double k)
    {
        using Scalar s = k.ToScalar();
        return a.div(s);
    }

    /// <summary>a / k for an integer k (the scalar keeps its integer type, as <c>a / k</c> does).</summary>
    public static Tensor DividedBy(this Tensor a, long k)
    {
        using Scalar s = k.ToScalar();
        return a.div(s);
    }

    /// <summary>a + k.</summary>
    public static Tensor Plus(this Tensor a, double k)
    {
        using Scalar s = k.ToScalar();
        return a.add(s, One);
    }

    /// <summary>a − k.</summary>
    public static Tensor Minus(this Tensor a, double k)
    {
        using Scalar s = k.ToScalar();
        return a.sub(s);
    }

    /// <summary>a − k for an integer k (integer tensors stay integer).</summary>
    public static Tensor Minus(this Tensor a, long k)
    {
        using Scalar s = k.ToScalar();
        return a.sub(s);
    }

    /// <summary>k − a (−a + k: negation is exact, so the result is bit for bit that of <c>k - a</c>).</summary>
    public static Tensor Subtract(double k, Tensor a)
    {
        using Scalar s = k.ToScalar();
        using Tensor negated = a.neg();
        return negated.add(s, One);
    }

    /// <summary>Integers start, start + 1, …, stop − 1 as int64, 1-D.</summary>
    public static Tensor Range(long start, long stop, Device device)
    {
        using Scalar from = start.ToScalar(), to = stop.ToScalar();
        return arange(from, to, One, ScalarType.Int64, device);
    }

    /// <summary>Start, start + step, … below stop, 1-D, of <paramref name="dtype"/>.</summary>
    public static Tensor Range(double start, double stop, double step, ScalarType dtype, Device device)
    {
        using Scalar from = start.ToScalar(), to = stop.ToScalar(), by = step.ToScalar();
        return arange(from, to, by, dtype, device);
    }

    /// <summary>An owned scalar; dispose it (<c>using</c>) after the call that reads it, or keep it in a field of its owner.</summary>
    public static Scalar Of(double value) => value.ToScalar();

    /// <summary>An owned integer scalar; dispose it after the call that reads it.</summary>
    public static Scalar Of(long value) => value.ToScalar();
}
