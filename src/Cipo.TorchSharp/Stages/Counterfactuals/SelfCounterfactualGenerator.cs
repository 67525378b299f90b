using Cipo.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Stages;

/// <summary>
/// Default <see cref="ICounterfactualGenerator"/>: the policy writes its own counterfactual reasoning under the method's
/// strategies (knowledge-boundary prompting, alternative-path exploration), in the configured order; every candidate of
/// every strategy must be well formed, leak nothing of the target (trace and answer), be logically consistent
/// (<see cref="CounterfactualChecks"/>) and differ from the prompt's kept ones; a template fills in last, when none passes.
/// A target with a <see cref="ForgetTarget.Replacement"/> is a fact update: its prompts get the <c>fact-update</c>
/// strategy instead (the policy's own answers rewritten to the new fact) and an update template as the fallback. A target
/// with a <see cref="ForgetTarget.Passage"/> (protected text) gets the <c>protected-passage</c> strategy first: the
/// policy is told the text is protected and its refusals are kept when they reproduce no verbatim window of the passage
/// and follow from their trace; when fewer than <see cref="SelfCounterfactualGeneratorOptions.KeepPerPrompt"/> pass, the
/// configured strategies fill the rest under the same checks (a model that never learned to refuse protected text can
/// still state that the text is outside what it knows), with <see cref="PassageRefusal.Template"/> as the fallback.
/// Every counterfactual records its strategy; the log line counts them by strategy and the rejected candidates by reason.
/// </summary>
internal sealed class SelfCounterfactualGenerator : ICounterfactualGenerator
{
    private readonly ILeakageDetector _leakage;
    private readonly SelfCounterfactualGeneratorOptions _options;
    private readonly IOptions<CipoOptions> _cipoOptions;
    private readonly ILogger<SelfCounterfactualGenerator> _logger;

    /// <summary>Creates the generator; its options are checked here, so an unknown strategy fails before round 1.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the failures name each field.</exception>
    public SelfCounterfactualGenerator(ILeakageDetector leakage, IOptions<SelfCounterfactualGeneratorOptions> options, IOptions<CipoOptions> cipoOptions,
        ILogger<SelfCounterfactualGenerator> logger)
    {
        _leakage = leakage ?? throw new ArgumentNullException(nameof(leakage));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Validated();
        _cipoOptions = cipoOptions ?? throw new ArgumentNullException(nameof(cipoOptions));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<IReadOnlyList<CounterfactualTrajectory>> GenerateAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, CancellationToken cancellationToken)
    {
        SelfCounterfactualGeneratorOptions o = _options;
        var result = new List<CounterfactualTrajectory>();
        var jobs = targets.SelectMany(t => t.Prompts.Select(p => (Target: t, Prompt: p))).ToArray();
        var accepted = jobs.ToDictionary(j => j, _ => new List<CounterfactualTrajectory>());
        var rejected = RejectionReasons.All.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        // A protected passage is asked to be declined first; the forgetting strategies below fill what that leaves open.
        await PassagesAsync(policy, jobs.Where(j => IsPassage(j.Target)).ToArray(), accepted, rejected, cancellationToken).ConfigureAwait(false);
        for (int s = 0; s < o.Strategies.Count; s++)
        {
            string strategy = o.Strategies[s];
            if (CounterfactualInstructions.ForStrategy(strategy) is not { } instruction)
            {
                throw new InvalidOperationException(
                    $"SelfCounterfactualGeneratorOptions.Strategies: unknown strategy '{strategy}' (known: {CounterfactualStrategies.KnowledgeBoundary}, {CounterfactualStrategies.AlternativePath}).");
            }
            // A fact update needs the new fact, not an honest "I don't know": its prompts get the fact-update strategy only.
            var pending = jobs.Where(j => !IsUpdate(j.Target) && accepted[j].Count < o.KeepPerPrompt).ToArray();
            if (pending.Length == 0)
            {
                break;
            }
            string[] prompts = pending.SelectMany(j => Enumerable.Repeat(policy.PromptFormat.FormatPrompt(j.Prompt, instruction), o.CandidatesPerPrompt)).ToArray();
            var settings = new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: _cipoOptions.Value.Seed + 7919 * (s + 1));
            IReadOnlyList<string> completions = await policy.CompleteAsync(prompts, settings, cancellationToken).ConfigureAwait(false);
            Collect(policy, pending, completions, strategy, accepted, rejected, JudgeForgetting);
        }
        await FactUpdatesAsync(policy, jobs.Where(j => IsUpdate(j.Target)).ToArray(), accepted, rejected, cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            List<CounterfactualTrajectory> kept = accepted[job];
            if (kept.Count == 0 && o.TemplateFallback && job.Target.Replacement is { } replacement)
            {
                var update = new ReasoningTrajectory(job.Prompt, $"{job.Prompt} The current answer is {replacement} .", replacement);
                if (!_leakage.Check(update, job.Target).Leaks)
                {
                    kept.Add(new CounterfactualTrajectory(job.Target.Id, update, CounterfactualStrategies.Template, CounterfactualSource.Template));
                }
            }
            else if (kept.Count == 0 && o.TemplateFallback && IsPassage(job.Target))
            {
                if (PassageRefusal.Template(job.Target, job.Prompt, _leakage) is { } refusal)
                {
                    kept.Add(new CounterfactualTrajectory(job.Target.Id, refusal, CounterfactualStrategies.Template, CounterfactualSource.Template));
                }
            }
            else if (kept.Count == 0 && o.TemplateFallback)
            {
                var template = new ReasoningTrajectory(job.Prompt, o.TemplateReasoning.Replace("{question}", job.Prompt, StringComparison.Ordinal), o.TemplateAnswer);
                if (_leakage.Check(template, job.Target).Leaks)
                {
                    // The question itself names the target: drop it from the template rather than leak it.
                    template = template with { ReasoningTrace = o.TemplateReasoning.Replace("{question}", "", StringComparison.Ordinal).Trim() };
                }
                kept.Add(new CounterfactualTrajectory(job.Target.Id, template, CounterfactualStrategies.Template, CounterfactualSource.Template));
            }
            result.AddRange(kept);
        }
        _logger.LogInformation(
            "Counterfactuals: {Total} for {Prompts} forget prompts ({Model} from the model, {Template} from templates; by strategy {ByStrategy}); "
            + "candidates rejected: {Leak} leak, {Inconsistent} inconsistent, {Malformed} malformed, {Duplicate} duplicate, {NotUpdatable} not updatable",
            result.Count, jobs.Length, result.Count(c => c.Source == CounterfactualSource.Model), result.Count(c => c.Source == CounterfactualSource.Template),
            string.Join(", ", result.GroupBy(c => c.Strategy, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")),
            rejected[RejectionReasons.Leak], rejected[RejectionReasons.Inconsistent], rejected[RejectionReasons.Malformed], rejected[RejectionReasons.Duplicate],
            rejected[RejectionReasons.NotUpdatable]);
        return result;
    }

    /// <summary>
    /// The <c>fact-update</c> strategy: the policy answers each update prompt as it is (no instruction) and every
    /// well-formed answer is rewritten to the new fact (<see cref="FactUpdateRewrite"/>); a rewrite that still holds the
    /// old fact, does not state the new one or does not follow from its trace is not kept.
    /// </summary>
    private async Task FactUpdatesAsync(IPolicyModel policy, (ForgetTarget Target, string Prompt)[] jobs,
        Dictionary<(ForgetTarget Target, string Prompt), List<CounterfactualTrajectory>> accepted, Dictionary<string, int> rejected, CancellationToken cancellationToken)
    {
        SelfCounterfactualGeneratorOptions o = _options;
        if (jobs.Length == 0)
        {
            return;
        }
        string[] prompts = jobs.SelectMany(j => Enumerable.Repeat(policy.PromptFormat.FormatPrompt(j.Prompt), o.CandidatesPerPrompt)).ToArray();
        var settings = new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: _cipoOptions.Value.Seed + 7919 * (o.Strategies.Count + 1));
        IReadOnlyList<string> completions = await policy.CompleteAsync(prompts, settings, cancellationToken).ConfigureAwait(false);
        Collect(policy, jobs, completions, CounterfactualStrategies.FactUpdate, accepted, rejected, (job, parsed) =>
            FactUpdateRewrite.Of(job.Target, new ReasoningTrajectory(job.Prompt, parsed.ReasoningTrace, parsed.Answer), _leakage) is { } update
                ? (update, null)
                : (null, RejectionReasons.NotUpdatable));
    }

    /// <summary>
    /// The <c>protected-passage</c> strategy: the policy answers each passage prompt under
    /// <see cref="CounterfactualInstructions.ProtectedPassage"/>; a candidate is kept when it leaks nothing (no verbatim
    /// window of the passage, no forbidden string) and is consistent, as the forgetting strategies' candidates are.
    /// </summary>
    private async Task PassagesAsync(IPolicyModel policy, (ForgetTarget Target, string Prompt)[] jobs,
        Dictionary<(ForgetTarget Target, string Prompt), List<CounterfactualTrajectory>> accepted, Dictionary<string, int> rejected, CancellationToken cancellationToken)
    {
        SelfCounterfactualGeneratorOptions o = _options;
        if (jobs.Length == 0)
        {
            return;
        }
        string[] prompts = jobs.SelectMany(j => Enumerable.Repeat(policy.PromptFormat.FormatPrompt(j.Prompt, CounterfactualInstructions.ProtectedPassage), o.CandidatesPerPrompt)).ToArray();
        var settings = new SamplingSettings(o.MaxNewTokens, o.Temperature, Seed: _cipoOptions.Value.Seed + 7919 * (o.Strategies.Count + 2));
        IReadOnlyList<string> completions = await policy.CompleteAsync(prompts, settings, cancellationToken).ConfigureAwait(false);
        Collect(policy, jobs, completions, CounterfactualStrategies.ProtectedPassage, accepted, rejected, JudgeForgetting);
    }

    /// <summary>A forgetting candidate (any strategy but the fact update) is kept when it leaks nothing and is consistent.</summary>
    private (ReasoningTrajectory? Kept, string? Rejection) JudgeForgetting((ForgetTarget Target, string Prompt) job, ReasoningOutput parsed)
    {
        var trajectory = new ReasoningTrajectory(job.Prompt, parsed.ReasoningTrace, parsed.Answer);
        return _leakage.Check(trajectory, job.Target).Leaks ? (null, RejectionReasons.Leak)
            : !CounterfactualChecks.Check(trajectory).IsConsistent ? (null, RejectionReasons.Inconsistent)
            : (trajectory, null);
    }

    private static bool IsUpdate(ForgetTarget target) => target.Replacement is not null;

    // A passage that is also updated is an update first: its new answer is what the counterfactual must reach.
    private static bool IsPassage(ForgetTarget target) => target.Passage is not null && !IsUpdate(target);

    /// <summary>
    /// Keeps the candidates of one sampling pass (<see cref="SelfCounterfactualGeneratorOptions.CandidatesPerPrompt"/> per
    /// job, in job order) that are well formed, pass <paramref name="judge"/> and are new for their prompt, up to
    /// <see cref="SelfCounterfactualGeneratorOptions.KeepPerPrompt"/>; counts the others by reason.
    /// </summary>
    private void Collect(IPolicyModel policy, (ForgetTarget Target, string Prompt)[] jobs, IReadOnlyList<string> completions, string strategy,
        Dictionary<(ForgetTarget Target, string Prompt), List<CounterfactualTrajectory>> accepted, Dictionary<string, int> rejected,
        Func<(ForgetTarget Target, string Prompt), ReasoningOutput, (ReasoningTrajectory? Kept, string? Rejection)> judge)
    {
        for (int i = 0; i < completions.Count; i++)
        {
            var job = jobs[i / _options.CandidatesPerPrompt];
            if (accepted[job].Count >= _options.KeepPerPrompt)
            {
                continue;
            }
            ReasoningOutput parsed = policy.PromptFormat.ParseCompletion(completions[i]);
            (ReasoningTrajectory? kept, string? rejection) = parsed.IsWellFormed ? judge(job, parsed) : (null, RejectionReasons.Malformed);
            // Across strategies too: the same text under two instructions is one chosen side, not two.
            rejection ??= accepted[job].Any(c => c.Trajectory == kept) ? RejectionReasons.Duplicate : null;
            if (rejection is not null)
            {
                rejected[rejection]++;
                continue;
            }
            accepted[job].Add(new CounterfactualTrajectory(job.Target.Id, kept!, strategy, CounterfactualSource.Model));
        }
    }

    /// <summary>Why a candidate was not kept, in the order the checks run (counted for the log line).</summary>
    private static class RejectionReasons
    {
        public const string Malformed = "malformed";
        public const string Leak = "leak";
        public const string Inconsistent = "inconsistent";
        public const string Duplicate = "duplicate";
        public const string NotUpdatable = "not-updatable";

        public static readonly string[] All = [Malformed, Leak, Inconsistent, Duplicate, NotUpdatable];
    }
}
