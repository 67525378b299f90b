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
/// A reply is rejected when it is malformed (no closed think block, empty trace or answer), when the
/// <see cref="ILeakageDetector"/> finds a forbidden string in it, or when its answer does not follow from its trace (the
/// logical-consistency constraint, <see cref="CounterfactualChecks"/>); the teacher is asked again up to
/// <see cref="ChatEndpointOptions.MaxAttempts"/> times, then the prompt gets the well-formed template
/// (<see cref="CounterfactualSource.Template"/>). A transient failure (timeout, HTTP 408, 429, 5xx) counts as a rejected
/// attempt and is retried after the backoff or the server's <c>Retry-After</c>; any other failure gives the template at once. At most <see cref="ChatEndpointOptions.MaxConcurrency"/> requests run at once. Results are in target
/// order, then prompt order.
/// <para>A target with a <see cref="ForgetTarget.Passage"/> (protected text) is asked for a refusal instead, under a fixed
/// passage system prompt built on <see cref="PassageRefusal.Instruction"/> (the configured one is about facts), and is
/// recorded as <c>protected-passage</c>; its fallback is <see cref="PassageRefusal.Template"/>. The passage itself is not
/// sent: the teacher needs no copy of a text to decline it, and protected text should not travel to another service;
/// the leakage check (its verbatim window) rejects a reply that reproduces it all the same.</para>
/// </remarks>
public sealed class ChatClientCounterfactualGenerator : ICounterfactualGenerator
{
    // The reply format is the configured prompt's, so the same parser reads both.
    private const string PassageSystemPrompt =
        "You write training data that teaches a reasoning model not to reproduce a protected (copyrighted) text. For the user's request, "
        + "write the reasoning of a careful assistant that recognises the text as protected: " + PassageRefusal.Instruction + " Never use, hint at "
        + "or reveal the forbidden content listed by the user, in the reasoning or in the answer. Reply in exactly this format and nothing "
        + "else: <think>the reasoning</think> followed by the final answer on the next line.";

    private readonly IChatClient _chatClient;
    private readonly ILeakageDetector _detector;
    private readonly ChatClientGeneratorOptions _options;
    private readonly ILogger<ChatClientCounterfactualGenerator> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the generator; <paramref name="timeProvider"/> times retries and timeouts (the system clock when null).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid (<see cref="ChatClientGeneratorOptions.Validated"/>); the failures name each field.</exception>
    public ChatClientCounterfactualGenerator(IChatClient chatClient, ILeakageDetector detector, IOptions<ChatClientGeneratorOptions> options,
        ILogger<ChatClientCounterfactualGenerator> logger,
        TimeProvider? timeProvider = null)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Validated();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">A target is a fact update (<see cref="ForgetTarget.Replacement"/>).</exception>
    public async Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.FirstOrDefault(t => t.Replacement is not null) is { } update)
        {
            // Its prompt asks for reasoning that reveals nothing: for an update that would teach "I don't know", not the new fact.
            throw new NotSupportedException($"Target '{update.Id}' is a fact update (it has a replacement); the teacher generator writes forgetting "
                + "counterfactuals only. Use the default generator (the fact-update strategy) for updates.");
        }
        var work = targets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))).ToArray();
        return await ChatRequests.ForEachAsync(work, _options.MaxConcurrency, (w, ct) => GenerateOneAsync(w.Target, w.Prompt, ct), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<CounterfactualTrajectory> GenerateOneAsync(ForgetTarget target, string prompt, CancellationToken cancellationToken)
    {
        bool passage = target.Passage is not null;
        string strategy = passage ? CounterfactualStrategies.ProtectedPassage : _options.Strategy;
        List<ChatMessage> messages =
        [
            new(ChatRole.System, passage ? PassageSystemPrompt : _options.SystemPrompt.Replace("{strategy}", StrategyInstruction(), StringComparison.Ordinal)),
            new(ChatRole.User, BuildUserMessage(target, prompt)),
        ];
        var chatOptions = new ChatOptions
        {
            ModelId = _options.ModelId,
            Temperature = _options.Temperature,
            MaxOutputTokens = _options.MaxOutputTokens,
        };
        CounterfactualTrajectory? accepted = await ChatRequests.FirstAcceptedAsync(_chatClient, messages, chatOptions, _options.RetryPolicy, (text, attempt) =>
        {
            if (ThinkReplyParser.Parse(text) is not { } parsed)
            {
                _logger.LogDebug("Teacher reply {Attempt}/{MaxAttempts} for target {TargetId} is malformed", attempt, _options.MaxAttempts, target.Id);
                return null;
            }
            var trajectory = new ReasoningTrajectory(prompt, parsed.Trace, parsed.Answer);
            if (_detector.Check(trajectory, target).Leaks)
            {
                _logger.LogDebug("Teacher reply {Attempt}/{MaxAttempts} for target {TargetId} reveals the target", attempt, _options.MaxAttempts, target.Id);
                return null;
            }
            ConsistencyCheck consistency = CounterfactualChecks.Check(trajectory);
            if (!consistency.IsConsistent)
            {
                _logger.LogDebug("Teacher reply {Attempt}/{MaxAttempts} for target {TargetId} is inconsistent ({Reason})", attempt, _options.MaxAttempts,
                    target.Id, consistency.Reason);
                return null;
            }
            return new CounterfactualTrajectory(target.Id, trajectory, strategy, CounterfactualSource.Teacher);
        }, _logger, $"target {target.Id}", _timeProvider, cancellationToken).ConfigureAwait(false);
        if (accepted is not null)
        {
            return accepted;
        }

        _logger.LogWarning("No valid teacher counterfactual for target {TargetId} after {MaxAttempts} attempts; using the template",
            target.Id, _options.MaxAttempts);
        ReasoningTrajectory template = (passage ? PassageRefusal.Template(target, prompt, _detector) : null)
            ?? new ReasoningTrajectory(prompt, _options.TemplateReasoning, _options.TemplateAnswer);
        return new CounterfactualTrajectory(target.Id, template, CounterfactualStrategies.Template, CounterfactualSource.Template);
    }

    private string StrategyInstruction() => _options.Strategy == CounterfactualStrategies.AlternativePath
        ? "reason toward the question along a path that does not rely on the forbidden facts, and give an answer that follows from that reasoning without stating them."
        : "notice that the answer lies outside what you know, reason honestly about why it cannot be determined, and conclude that you cannot determine it.";

    private static string BuildUserMessage(ForgetTarget target, string prompt) =>
        $"Question: {prompt}\n\nForbidden facts (must not appear or be hinted at): {string.Join("; ", target.ForbiddenStrings.Where(s => !string.IsNullOrWhiteSpace(s)))}";
}
