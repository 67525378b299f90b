namespace Cipo.Embedded.Experiments;

/// <summary>
/// Forwards reports synchronously on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to the thread
/// pool and can reorder lines): progress bars stay in order.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
