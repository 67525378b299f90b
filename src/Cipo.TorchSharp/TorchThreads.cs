using static TorchSharp.torch;

namespace Cipo.TorchSharp;

/// <summary>
/// Scoped control of libtorch's intra-op thread count, which is process-wide (every thread that enters libtorch
/// applies the last value set). Small models spend more time waking and joining the thread pool than computing, so a
/// host running them (or several of them side by side) sets one thread for the span of that work and gets the previous
/// value back afterwards.
/// </summary>
public static class TorchThreads
{
    private static readonly Lock Gate = new();
    private static readonly List<Handle> Holders = [];
    private static int _saved;

    /// <summary>libtorch's current intra-op thread count.</summary>
    public static int Current => get_num_threads();

    /// <summary>
    /// Sets <paramref name="threads"/> intra-op threads until the returned handle is disposed; 0 leaves the setting as it
    /// is. While several handles are alive (nested, or runs side by side) the newest one's value is in force; disposing one
    /// puts the newest remaining one's value back, and disposing the last one restores the value from before the first.
    /// </summary>
    /// <param name="threads">Intra-op threads, 0–256; 0 changes nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is outside 0–256.</exception>
    public static IDisposable Use(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 256);
        var handle = new Handle(threads);
        if (threads == 0)
        {
            handle.Dispose();
            return handle;
        }
        lock (Gate)
        {
            if (Holders.Count == 0)
            {
                _saved = get_num_threads();
            }
            Holders.Add(handle);
            set_num_threads(threads);
        }
        return handle;
    }

    private sealed class Handle(int threads) : IDisposable
    {
        private int _disposed;

        public int Threads { get; } = threads;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            lock (Gate)
            {
                if (Holders.Remove(this))
                {
                    set_num_threads(Holders.Count == 0 ? _saved : Holders[^1].Threads);
                }
            }
        }
    }
}
