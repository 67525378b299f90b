using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using OpenAI;

namespace Cipo.Tests.Teacher;

/// <summary>
/// An OpenAI-compatible chat endpoint in process: an <see cref="HttpMessageHandler"/> that answers each request with the
/// next scripted status (the last repeats), recording when each came on a fake clock. <see cref="ChatClient"/> is the
/// real OpenAI client over it, with the client's own retries off as the docs ask.
/// </summary>
internal sealed class FakeOpenAIEndpoint(FakeTimeProvider time, string reply, params FakeOpenAIEndpoint.Answer[] script) : HttpMessageHandler
{
    /// <summary>One scripted answer: a status with an optional Retry-After header value, or no answer at all (the request hangs).</summary>
    internal sealed record Answer(HttpStatusCode Status, string? RetryAfter = null, bool Hang = false)
    {
        public static Answer Ok { get; } = new(HttpStatusCode.OK);
        public static Answer Hangs { get; } = new(HttpStatusCode.OK, Hang: true);
    }

    private readonly List<DateTimeOffset> _calls = [];

    /// <summary>When each request came, on the fake clock.</summary>
    public IReadOnlyList<DateTimeOffset> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>Gaps between consecutive requests.</summary>
    public IReadOnlyList<TimeSpan> Gaps => Calls.Zip(Calls.Skip(1), (a, b) => b - a).ToArray();

    public IChatClient ChatClient => new OpenAIClient(new ApiKeyCredential("test"), new OpenAIClientOptions
    {
        Endpoint = new Uri("http://127.0.0.1:9/v1"),
        Transport = new HttpClientPipelineTransport(new HttpClient(this)),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    }).GetChatClient("teacher").AsIChatClient();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int call;
        lock (_calls)
        {
            call = _calls.Count;
            _calls.Add(time.GetUtcNow());
        }
        Answer answer = script.Length == 0 ? Answer.Ok : script[Math.Min(call, script.Length - 1)];
        if (answer.Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        if (answer.Status != HttpStatusCode.OK)
        {
            var failed = new HttpResponseMessage(answer.Status)
            {
                Content = new StringContent("""{"error": {"message": "scripted failure", "type": "test"}}""", Encoding.UTF8, "application/json"),
            };
            if (answer.RetryAfter is { } retryAfter)
            {
                failed.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            }
            return failed;
        }
        string body = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion",
            created = 0,
            model = "teacher",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = reply }, finish_reason = "stop" } },
        });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    /// <summary>Runs <paramref name="work"/> to completion, moving the fake clock on in small steps while it waits.</summary>
    public static async Task<T> Drive<T>(FakeTimeProvider time, Task<T> work)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!work.IsCompleted)
        {
            await Task.Delay(2);
            time.Advance(TimeSpan.FromMilliseconds(100));
            if (limit.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The work did not finish in 60 s of real time.");
            }
        }
        return await work;
    }
}
