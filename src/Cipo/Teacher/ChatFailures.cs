// Hand-written: Polly decides when and how to retry, but no library maps what an IChatClient throws (ClientResultException, HttpRequestException) to transient or not, nor reads Retry-After from it.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using Polly.Timeout;

namespace Cipo.Teacher;

/// <summary>
/// Which failures of a chat request are worth retrying, and how long the server asked to wait: the rules the retry
/// pipeline (<see cref="ChatRetryPolicy"/>) applies to what an <c>IChatClient</c> throws.
/// </summary>
internal static class ChatFailures
{
    /// <summary>
    /// Timeouts, dropped connections and HTTP 408, 429 and 5xx are transient; every other status (400, 401, 403, 404, …)
    /// and every other exception is not: asking again would fail the same way.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        TimeoutRejectedException or TimeoutException => true,
        // Not the caller's cancellation (the pipeline stops on that): a client's own timeout.
        OperationCanceledException => true,
        ClientResultException { Status: 0 } => true,
        ClientResultException e => IsTransientStatus(e.Status),
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } status } => IsTransientStatus((int)status),
        IOException => true,
        _ => false,
    };

    /// <summary>408 Request Timeout, 429 Too Many Requests and 5xx server errors.</summary>
    public static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests || status >= 500;

    /// <summary>
    /// The wait the server asked for in a failed response (<c>retry-after-ms</c>, else <c>Retry-After</c> as seconds or an
    /// HTTP date, relative to <paramref name="now"/>), or <see langword="null"/> when it did not ask.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception error, DateTimeOffset now)
    {
        if (error is not ClientResultException failed || failed.GetRawResponse() is not PipelineResponse response)
        {
            return null;
        }
        if (response.Headers.TryGetValue("retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (!response.Headers.TryGetValue("Retry-After", out string? value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
        {
            TimeSpan wait = at - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
