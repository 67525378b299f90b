using System.ComponentModel.DataAnnotations;

namespace Cipo.Teacher;

/// <summary>
/// How a chat-client stage talks to its endpoint (one server, or a vLLM / TGI / Ollama fleet behind a load balancer): the
/// model, the concurrency limit, and retries (a Polly pipeline) with timeouts, backoff and the server's <c>Retry-After</c>. Shared by
/// <see cref="ChatClientGeneratorOptions"/> (the teacher) and <see cref="ChatClientJudgeOptions"/> (the judge).
/// </summary>
public abstract class ChatEndpointOptions : IValidatableObject
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
    /// Requests per item (a forget prompt for the teacher, a sample for the judge): a transient failure, a timeout and an
    /// unusable reply each use one; then the stage's fallback applies. The default value is 3; range 1 to 20.
    /// </summary>
    /// <remarks>
    /// Transient failures are timeouts, dropped connections and HTTP 408, 429 and 5xx; any other failure (400, 401, 403,
    /// 404, …) is not retried and the item gets the fallback at once. Switch off the chat client's own retries (for the
    /// OpenAI client: <c>OpenAIClientOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0)</c>) so the two do not multiply.
    /// </remarks>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Base wait before retrying a request that failed transiently, in milliseconds: exponential backoff with jitter from
    /// this value, at most <see cref="MaxRetryDelaySeconds"/>. A server's <c>Retry-After</c> (or <c>retry-after-ms</c>)
    /// replaces the backoff. Unusable replies are asked again at once. The default value is 500; range 0 to 60,000, and
    /// at most <see cref="MaxRetryDelaySeconds"/>.
    /// </summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>
    /// Longest wait before a retry, in seconds: caps the backoff and a server's <c>Retry-After</c>. The default value is
    /// 30; range 1 to 3,600.
    /// </summary>
    [Range(1, 3_600)]
    public int MaxRetryDelaySeconds { get; set; } = 30;

    /// <summary>Longest one request may take before it counts as failed (and is retried), in seconds; range 1 to 86,400. The teacher's default is 300, the judge's 120.</summary>
    [Range(1, 86_400)]
    public int RequestTimeoutSeconds { get; set; }

    internal ChatRetryPolicy RetryPolicy => new(MaxAttempts, RetryDelayMilliseconds, RequestTimeoutSeconds, MaxRetryDelaySeconds);

    /// <summary>Rules across properties: the base retry delay is not longer than the longest.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryDelayMilliseconds > MaxRetryDelaySeconds * 1000L)
        {
            yield return new ValidationResult(
                $"{GetType().Name}.RetryDelayMilliseconds ({RetryDelayMilliseconds}) must not exceed MaxRetryDelaySeconds ({MaxRetryDelaySeconds}) × 1000.",
                [nameof(RetryDelayMilliseconds), nameof(MaxRetryDelaySeconds)]);
        }
    }
}
