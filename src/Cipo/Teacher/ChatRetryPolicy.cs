using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cipo.Teacher;

/// <summary>How requests to a chat endpoint (one server or a fleet behind a load balancer) are retried: a Polly pipeline.</summary>
/// <param name="MaxAttempts">Requests per item: failed requests, timeouts and unusable replies each use one.</param>
/// <param name="RetryDelayMilliseconds">Base of the exponential backoff (with jitter) after a transient failure.</param>
/// <param name="RequestTimeoutSeconds">A request slower than this counts as failed (transient).</param>
/// <param name="MaxRetryDelaySeconds">Longest wait before a retry, for the backoff and for a server's <c>Retry-After</c>.</param>
internal sealed record ChatRetryPolicy(int MaxAttempts, int RetryDelayMilliseconds, int RequestTimeoutSeconds, int MaxRetryDelaySeconds = 30)
{
    /// <summary>
    /// Retries (outermost) around a per-request timeout. An unusable reply (<see langword="null"/> result) is asked again
    /// at once; a transient failure (<see cref="ChatFailures.IsTransient"/>) after the server's <c>Retry-After</c> or the
    /// backoff, at most <see cref="MaxRetryDelaySeconds"/>; any other failure is not retried.
    /// </summary>
    public ResiliencePipeline<T?> Pipeline<T>(TimeProvider timeProvider, ILogger logger, string subject) where T : class
    {
        var builder = new ResiliencePipelineBuilder<T?> { TimeProvider = timeProvider };
        TimeSpan maxDelay = TimeSpan.FromSeconds(MaxRetryDelaySeconds);
        if (MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<T?>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error ? ChatFailures.IsTransient(error) : args.Outcome.Result is null),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(RetryDelayMilliseconds),
                MaxDelay = maxDelay,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Exception is { } error
                    ? ChatFailures.RetryAfter(error, timeProvider.GetUtcNow()) is { } asked ? (asked < maxDelay ? asked : maxDelay) : null
                    : TimeSpan.Zero),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } error)
                    {
                        logger.LogWarning(error, "Request {Attempt}/{MaxAttempts} for {Subject} failed; retrying in {Delay}",
                            args.AttemptNumber + 1, MaxAttempts, subject, args.RetryDelay);
                    }
                    return default;
                },
            });
        }
        return builder.AddTimeout(TimeSpan.FromSeconds(RequestTimeoutSeconds)).Build();
    }
}
