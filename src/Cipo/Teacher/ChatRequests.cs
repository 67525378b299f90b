using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cipo.Teacher;

/// <summary>The request plumbing the chat-client stages share: a concurrency limit, and retries with timeouts and backoff.</summary>
internal static class ChatRequests
{
    /// <summary>Runs <paramref name="work"/> on every item with at most <paramref name="maxConcurrency"/> in flight; results in item order.</summary>
    public static async Task<TResult[]> ForEachAsync<TItem, TResult>(IReadOnlyList<TItem> items, int maxConcurrency,
        Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        using var gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        var tasks = new Task[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    results[index] = await work(items[index], cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Asks until <paramref name="accept"/> takes a reply (it returns null to reject one, logging why), at most
    /// <see cref="ChatRetryPolicy.MaxAttempts"/> times, through the policy's retry pipeline. Null when every attempt was
    /// used or a failure is not worth retrying (logged). Only the caller's cancellation ends it with an exception.
    /// </summary>
    public static async Task<T?> FirstAcceptedAsync<T>(IChatClient client, IList<ChatMessage> messages, ChatOptions options, ChatRetryPolicy policy,
        Func<string, int, T?> accept, ILogger logger, string subject, TimeProvider timeProvider, CancellationToken cancellationToken) where T : class
    {
        int attempt = 0;
        try
        {
            return await policy.Pipeline<T>(timeProvider, logger, subject).ExecuteAsync(async token =>
            {
                int current = Interlocked.Increment(ref attempt);
                ChatResponse response = await client.GetResponseAsync(messages, options, token).ConfigureAwait(false);
                return accept(response.Text, current);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Request {Attempt}/{MaxAttempts} for {Subject} failed; {Reason}", attempt, policy.MaxAttempts, subject,
                ChatFailures.IsTransient(ex) ? "no attempt left" : "not retried (not a transient failure)");
            return null;
        }
    }
}
