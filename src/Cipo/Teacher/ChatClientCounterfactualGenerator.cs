using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.Teacher;

/// <summary>
/// Writes counterfactual reasoning with a teacher model behind a Microsoft.Extensions.AI <see cref="IChatClient"/>: for
/// every prompt of every target the teacher is asked for a trace that neither uses nor reveals the target, in the form
/// <c>&lt;think&gt;…&lt;/think&gt; answer</c>.
/// </summary>
/// <remarks>
/// A reply is rejected when it is malformed (no closed think block, empty trace or answer) or when the
/// <see cref="ILeakageDetector"/> finds a forbidden string in it; the teacher is asked again up to
/// <see cref="ChatClientGeneratorOptions.MaxAttempts"/> times, then the prompt gets the well-formed template
/// (<see cref="CounterfactualSource.Template"/>). A failing request (an exception of the client) counts as a rejected
/// attempt. At most <see cref="ChatClientGeneratorOptions.MaxConcurrency"/> requests run at once. Results are in target
/// order, then prompt order.
/// </remarks>
public sealed class ChatClientCounterfactualGenerator : ICounterfactualGenerator
{
    private readonly IChatClient _chatClient;
    private readonly ILeakageDetector _detector;
    private readonly ChatClientGeneratorOptions _options;
    private readonly ILogger<ChatClientCounterfactualGenerator> _logger;

    /// <summary>Creates the generator.</summary>
    public ChatClientCounterfactualGenerator(IChatClient chatClient, ILeakageDetector detector, IOptions<ChatClientGeneratorOptions> options,
        ILogger<ChatClientCounterfactualGenerator> logger)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var work = targets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))).ToArray();
        var results = new CounterfactualTrajectory[work.Length];
        using var gate = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        var tasks = new Task[work.Length];
        for (int i = 0; i < work.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    results[index] = await GenerateOneAsync(work[index].Target, work[index].Prompt, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Exponential backoff with ±20% jitter (so a fleet's clients do not retry in lockstep), at most 30 s.</summary>
    internal TimeSpan RetryDelay(int failedAttempt)
    {
        double ms = Math.Min(30_000, _options.RetryDelayMilliseconds * Math.Pow(2, failedAttempt - 1));
        return TimeSpan.FromMilliseconds(ms * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    private async Task<CounterfactualTrajectory> GenerateOneAsync(ForgetTarget target, string prompt, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, _options.SystemPrompt.Replace("{strategy}", StrategyInstruction(), StringComparison.Ordinal)),
            new(ChatRole.User, BuildUserMessage(target, prompt)),
        ];
        var chatOptions = new ChatOptions
        {
            ModelId = _options.ModelId,
            Temperature = _options.Temperature,
            MaxOutputTokens = _options.MaxOutputTokens,
        };
        for (int attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            string text;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(_options.RequestTimeoutSeconds));
                ChatResponse response = await _chatClient.GetResponseAsync(messages, chatOptions, timeout.Token).ConfigureAwait(false);
                text = response.Text;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Teacher request {Attempt}/{MaxAttempts} for target {TargetId} failed", attempt, _options.MaxAttempts, target.Id);
                if (attempt < _options.MaxAttempts)
                {
                    await Task.Delay(RetryDelay(attempt), cancellationToken).ConfigureAwait(false);
                }
                continue;
            }
            if (ThinkReplyParser.Parse(text) is not { } parsed)
            {
                _logger.LogDebug("Teacher reply {Attempt}/{MaxAttempts} for target {TargetId} is malformed", attempt, _options.MaxAttempts, target.Id);
                continue;
            }
            var trajectory = new ReasoningTrajectory(prompt, parsed.Trace, parsed.Answer);
            if (_detector.Check(trajectory, target).Leaks)
            {
                _logger.LogDebug("Teacher reply {Attempt}/{MaxAttempts} for target {TargetId} reveals the target", attempt, _options.MaxAttempts, target.Id);
                continue;
            }
            return new CounterfactualTrajectory(target.Id, trajectory, _options.Strategy, CounterfactualSource.Teacher);
        }

        _logger.LogWarning("No valid teacher counterfactual for target {TargetId} after {MaxAttempts} attempts; using the template",
            target.Id, _options.MaxAttempts);
        return new CounterfactualTrajectory(target.Id, new ReasoningTrajectory(prompt, _options.TemplateReasoning, _options.TemplateAnswer),
            CounterfactualStrategies.Template, CounterfactualSource.Template);
    }

    private string StrategyInstruction() => _options.Strategy == CounterfactualStrategies.AlternativePath
        ? "reason toward the question along a path that does not rely on the forbidden facts, and give an answer that follows from that reasoning without stating them."
        : "notice that the answer lies outside what you know, reason honestly about why it cannot be determined, and conclude that you cannot determine it.";

    private static string BuildUserMessage(ForgetTarget target, string prompt) =>
        $"Question: {prompt}\n\nForbidden facts (must not appear or be hinted at): {string.Join("; ", target.ForbiddenStrings.Where(s => !string.IsNullOrWhiteSpace(s)))}";
}
