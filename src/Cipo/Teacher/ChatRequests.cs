using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cipo.Teacher;

/// <summary>How requests to a chat endpoint (one server or a fleet behind a load balancer) are retried.</summary>
/// <param name="MaxAttempts">Requests per item: failed requests, timeouts and unusable replies each use one.</param>
/// <param name="RetryDelayMilliseconds">Wait after a failed request, doubled per further failure, ±20% jitter, at most 30 s.</param>
/// <param name="RequestTimeoutSeconds">A request slower than this counts as failed.</param>
internal sealed record ChatRetryPolicy(int MaxAttempts, int RetryDelayMilliseconds, int RequestTimeoutSeconds)
{
    /// <summary>Exponential backoff with ±20% jitter (so a fleet's clients do not retry in lockstep), at most 30 s.</summary>
    public TimeSpan Delay(int failedAttempt)
    {
        double ms = Math.Min(30_000, RetryDelayMilliseconds * Math.Pow(2, failedAttempt - 1));
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }
}

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
    /// <see cref="ChatRetryPolicy.MaxAttempts"/> times; a failed or timed-out request waits the backoff first. Null when
    /// every attempt was used. Only the caller's cancellation ends it early.
    /// </summary>
    public static async Task<T?> FirstAcceptedAsync<T>(IChatClient client, IList<ChatMessage> messages, ChatOptions options, ChatRetryPolicy policy,
        Func<string, int, T?> accept, ILogger logger, string subject, CancellationToken cancellationToken) where T : class
    {
        for (int attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            string text;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(policy.RequestTimeoutSeconds));
                ChatResponse response = await client.GetResponseAsync(messages, options, timeout.Token).ConfigureAwait(false);
                text = response.Text;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Request {Attempt}/{MaxAttempts} for {Subject} failed", attempt, policy.MaxAttempts, subject);
                if (attempt < policy.MaxAttempts)
                {
                    await Task.Delay(policy.Delay(attempt), cancellationToken).ConfigureAwait(false);
                }
                continue;
            }
            if (accept(text, attempt) is { } accepted)
            {
                return accepted;
            }
        }
        return null;
    }
}
