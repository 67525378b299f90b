using System.ComponentModel.DataAnnotations;

namespace Cipo.Teacher;

/// <summary>
/// How a chat-client stage talks to its endpoint (one server, or a vLLM / TGI / Ollama fleet behind a load balancer): the
/// model, the concurrency limit, and retries with timeouts and backoff. Shared by
/// <see cref="ChatClientGeneratorOptions"/> (the teacher) and <see cref="ChatClientJudgeOptions"/> (the judge).
/// </summary>
public abstract class ChatEndpointOptions
{
    /// <summary>Sets the defaults that differ between the stages.</summary>
    protected ChatEndpointOptions(int maxConcurrency, int requestTimeoutSeconds)
    {
        MaxConcurrency = maxConcurrency;
        RequestTimeoutSeconds = requestTimeoutSeconds;
    }

    /// <summary><c>ChatOptions.ModelId</c> of the requests, or <see langword="null"/> for the client's default. The default value is <see langword="null"/>.</summary>
    public string? ModelId { get; set; }

    /// <summary>Requests in flight at once (spread over the fleet behind the endpoint); range 1 to 1024. The teacher's default is 4, the judge's 8.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; }

    /// <summary>
    /// Requests per item (a forget prompt for the teacher, a sample for the judge): a failed request, a timeout and an
    /// unusable reply each use one; then the stage's fallback applies. The default value is 3; range 1 to 20.
    /// </summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Wait before retrying a request that failed (an exception or <see cref="RequestTimeoutSeconds"/>), in milliseconds;
    /// doubled on each further failure of the same item, with ±20% jitter, at most 30 s. Unusable replies are retried at
    /// once. The default value is 500; range 0 to 60,000.
    /// </summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>Longest one request may take before it counts as failed, in seconds; range 1 to 86,400. The teacher's default is 300, the judge's 120.</summary>
    [Range(1, 86_400)]
    public int RequestTimeoutSeconds { get; set; }

    internal ChatRetryPolicy RetryPolicy => new(MaxAttempts, RetryDelayMilliseconds, RequestTimeoutSeconds);
}
