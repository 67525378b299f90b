using static TorchSharp.torch;

namespace Cipo.TorchSharp;

/// <summary>
/// libtorch's intra-op thread count. libtorch keeps it per OS thread: a change applies at once to the calling thread and
/// to every thread that runs torch work for the first time afterwards, but not to a thread that already ran torch work
/// (its OpenMP setting stays). So set it once, before the first torch call of the process. Small models (like the
/// embedded reasoning-world model) run fastest on one thread, with independent work side by side instead
/// (docs/benchmarks.md, "Threads and runs side by side").
/// </summary>
public static class TorchThreads
{
    /// <summary>The calling thread's intra-op thread count.</summary>
    public static int Current => get_num_threads();

    /// <summary>Sets the intra-op thread count (see the class remarks for which threads it reaches).</summary>
    /// <param name="threads">Threads, 1–256.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is outside 1–256.</exception>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 256);
        set_num_threads(threads);
    }
}
