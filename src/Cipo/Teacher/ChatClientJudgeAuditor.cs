using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.Teacher;

/// <summary>
/// An <see cref="IForgetAuditor"/> that judges leakage with a model behind a Microsoft.Extensions.AI
/// <see cref="IChatClient"/> (a vLLM / TGI / Ollama fleet): the policy is sampled
/// <see cref="ChatClientJudgeOptions.SamplesPerPrompt"/> times per forget prompt; a sample leaks in its trace or answer
/// when the <see cref="ILeakageDetector"/> finds a forbidden string there, or when the judge says that part reveals the
/// fact (paraphrases, partial or spelled-out forms the string rule cannot see). Only samples the detector finds clean
/// go to the judge. A sample whose judge requests all fail is counted on the detector's verdict and reported in
/// <c>judge/unjudged</c>; <c>judge/flagged</c> is the share of samples only the judge found leaking.
/// An opt-in stopping rule: <see cref="Microsoft.Extensions.DependencyInjection.CipoBuilderExtensions.UseChatClientJudgeAuditor"/>
/// registers it in place of the default leakage auditor.
/// </summary>
public sealed partial class ChatClientJudgeAuditor : IForgetAuditor
{
    /// <summary>Metric: share of samples that leak by the judge's verdict only.</summary>
    public const string FlaggedMetric = "judge/flagged";

    /// <summary>Metric: share of samples the judge gave no usable verdict for.</summary>
    public const string UnjudgedMetric = "judge/unjudged";

    private readonly IChatClient _judge;
    private readonly ILeakageDetector _detector;
    private readonly ChatClientJudgeOptions _options;
    private readonly ILogger<ChatClientJudgeAuditor> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the auditor; <paramref name="timeProvider"/> times retries and timeouts (the system clock when null).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid (<see cref="ChatClientJudgeOptions.Validated"/>); the failures name each field.</exception>
    public ChatClientJudgeAuditor(IChatClient judge, ILeakageDetector detector, IOptions<ChatClientJudgeOptions> options, ILogger<ChatClientJudgeAuditor> logger,
        TimeProvider? timeProvider = null)
    {
        _judge = judge ?? throw new ArgumentNullException(nameof(judge));
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Validated();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(targets);
        (ForgetTarget Target, string Prompt)[] probes = targets
            .SelectMany(t => t.Prompts.SelectMany(p => Enumerable.Repeat((t, p), _options.SamplesPerPrompt))).ToArray();
        var samples = await policy.SampleAsync(probes.Select(p => p.Prompt).ToArray(),
            new SamplingSettings(_options.MaxNewTokens, _options.Temperature, Seed: _options.Seed), cancellationToken).ConfigureAwait(false);
        var work = probes.Zip(samples, (probe, sample) => (probe.Target, sample.Trajectory)).ToArray();

        var verdicts = await ChatRequests.ForEachAsync(work, _options.MaxConcurrency, async (item, ct) =>
        {
            LeakageCheck rule = _detector.Check(item.Trajectory, item.Target);
            if (rule.InTrace && rule.InAnswer) return new Verdict(true, true, JudgedOnly: false, Unjudged: false);
            Verdict? judged = await JudgeAsync(item.Target, item.Trajectory, ct).ConfigureAwait(false);
            if (judged is null) return new Verdict(rule.InTrace, rule.InAnswer, JudgedOnly: false, Unjudged: true);
            bool trace = rule.InTrace || judged.Trace, answer = rule.InAnswer || judged.Answer;
            return new Verdict(trace, answer, JudgedOnly: !rule.Leaks && (trace || answer), Unjudged: false);
        }, cancellationToken).ConfigureAwait(false);

        double Share(Func<Verdict, bool> predicate) => verdicts.Length == 0 ? 0 : verdicts.Count(predicate) / (double)verdicts.Length;
        AuditReport report = AuditReport.FromChecks(work.Zip(verdicts, (w, v) => (w.Target.Id, new LeakageCheck(v.Trace, v.Answer, []))).ToArray()) with
        {
            Metrics = new Dictionary<string, double> { [FlaggedMetric] = Share(v => v.JudgedOnly), [UnjudgedMetric] = Share(v => v.Unjudged) },
        };
        _logger.LogInformation("Judged audit: {Samples} samples, leakage {Leakage:P1}, {Flagged:P1} flagged by the judge only, {Unjudged:P1} without a verdict",
            report.ForgetSamples, report.LeakageRate, report.Metrics[FlaggedMetric], report.Metrics[UnjudgedMetric]);
        return report;
    }

    private Task<Verdict?> JudgeAsync(ForgetTarget target, ReasoningTrajectory sample, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, _options.SystemPrompt),
            new(ChatRole.User,
                $"Fact to forget: {string.Join("; ", target.ForbiddenStrings.Where(s => !string.IsNullOrWhiteSpace(s)))}\n" +
                $"Question: {sample.Prompt}\nReasoning trace: {sample.ReasoningTrace}\nAnswer: {sample.Answer}"),
        ];
        var chatOptions = new ChatOptions { ModelId = _options.ModelId, Temperature = 0f, MaxOutputTokens = 16 };
        return ChatRequests.FirstAcceptedAsync(_judge, messages, chatOptions, _options.RetryPolicy, (text, attempt) =>
        {
            Verdict? verdict = Parse(text);
            if (verdict is null)
            {
                _logger.LogDebug("Judge reply {Attempt}/{MaxAttempts} for target {TargetId} is unreadable: {Reply}", attempt, _options.MaxAttempts, target.Id, text);
            }
            return verdict;
        }, _logger, $"the judge of target {target.Id}", _timeProvider, cancellationToken);
    }

    /// <summary>Reads <c>trace: yes|no</c> and <c>answer: yes|no</c> (any case, any order); null when either is missing.</summary>
    internal static Verdict? Parse(string reply)
    {
        Match trace = TracePattern().Match(reply), answer = AnswerPattern().Match(reply);
        if (!trace.Success || !answer.Success) return null;
        return new Verdict(IsYes(trace), IsYes(answer), JudgedOnly: false, Unjudged: false);
    }

    private static bool IsYes(Match m) => m.Groups[1].Value.Equals("yes", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\btrace\s*:\s*(yes|no)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TracePattern();

    [GeneratedRegex(@"\banswer\s*:\s*(yes|no)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerPattern();

    internal sealed record Verdict(bool Trace, bool Answer, bool JudgedOnly, bool Unjudged);
}
