using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Cipo.Tests.Teacher;

/// <summary>An in-process teacher: returns canned replies in order (the last one repeats); can throw on chosen calls.</summary>
internal sealed class FakeChatClient(params string[] replies) : IChatClient
{
    private int _calls;
    private int _inFlight;

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];
    public List<ChatOptions?> Options { get; } = [];
    public HashSet<int> ThrowOnCalls { get; } = [];
    public int MaxInFlight { get; private set; }
    public TimeSpan Delay { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int call;
        lock (Requests)
        {
            call = _calls++;
            Requests.Add(messages.ToArray());
            Options.Add(options);
            MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
        }
        try
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }
            if (ThrowOnCalls.Contains(call))
            {
                throw new HttpRequestException("teacher unavailable");
            }
            string reply = replies.Length == 0 ? "" : replies[Math.Min(call, replies.Length - 1)];
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply));
        }
        finally
        {
            lock (Requests)
            {
                _inFlight--;
            }
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        throw new NotSupportedException();
#pragma warning disable CS0162 // Unreachable code: makes this an iterator.
        yield break;
#pragma warning restore CS0162
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
