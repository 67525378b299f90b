using System.Diagnostics;
using Cipo.Diagnostics;
using Cipo.Loop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo;

/// <summary>
/// The CiPO loop: audit; then, round after round, counterfactuals (chosen) → pairs with the policy's own leaks (rejected)
/// → preference optimisation → audit, until the leakage rate reaches <see cref="CipoOptions.LeakageThreshold"/> or
/// <see cref="CipoOptions.MaxRounds"/> rounds are done.
/// </summary>
/// <remarks>
/// <para>Counterfactuals are generated once, in round 1, and reused (unless
/// <see cref="CipoOptions.RegenerateCounterfactualsEachRound"/>); the rejected side is refreshed every round by the pair
/// builder, which also gets the leak pool: every leak sampled in the earlier rounds, round 1's (the original model's
/// behaviour) first (<see cref="CipoOptions.KeepOriginalLeaks"/>). The pool is part of <c>state.json</c>, so a resumed run
/// builds the same pairs as an uninterrupted one.
/// Counterfactuals that the <see cref="ILeakageDetector"/> finds leaking are dropped.</para>
/// <para>With <see cref="UnlearningRequest.RunFolder"/> every finished round is checkpointed (<c>round-0001/pairs.jsonl</c>,
/// <c>metrics.json</c>, <c>model/</c>), then <c>state.json</c> is replaced atomically. A run that finds a
/// <c>state.json</c> reloads the last round's model with <see cref="IPolicyModel.LoadAsync"/> and continues after it, so a
/// cancelled or crashed run resumes where it stopped. A run folder belongs to one request: other targets or retain data
/// there are an error.</para>
/// <para>Unlearning more on an already unlearned model is another call on that model with a new request (and a new run
/// folder). Only the request's targets are audited: include the earlier targets to check they stay forgotten.</para>
/// </remarks>
public sealed class CipoUnlearner : ICipoUnlearner
{
    private readonly ICounterfactualGenerator _generator;
    private readonly IPreferencePairBuilder _pairBuilder;
    private readonly IPreferenceOptimizer _optimizer;
    private readonly IForgetAuditor _auditor;
    private readonly ILeakageDetector _detector;
    private readonly CipoOptions _options;
    private readonly ILogger<CipoUnlearner> _logger;

    /// <summary>Creates the loop from its stages.</summary>
    public CipoUnlearner(ICounterfactualGenerator generator, IPreferencePairBuilder pairBuilder, IPreferenceOptimizer optimizer,
        IForgetAuditor auditor, ILeakageDetector detector, IOptions<CipoOptions> options, ILogger<CipoUnlearner> logger)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _pairBuilder = pairBuilder ?? throw new ArgumentNullException(nameof(pairBuilder));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _auditor = auditor ?? throw new ArgumentNullException(nameof(auditor));
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The request has no targets, a target has no prompt, ids repeat, or an answer, alias or keyword has no letter or digit.</exception>
    /// <exception cref="InvalidDataException">The run folder's <c>state.json</c> is corrupt.</exception>
    /// <exception cref="InvalidOperationException">The run folder belongs to a different request.</exception>
    public async Task<UnlearningResult> UnlearnAsync(IPolicyModel policy, UnlearningRequest request, IProgress<UnlearningProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ValidateRequest(request);
        cancellationToken.ThrowIfCancellationRequested();
        using Activity? runActivity = CipoTelemetry.ActivitySource.StartActivity(CipoTelemetry.UnlearnActivity);
        runActivity?.SetTag("cipo.targets", request.Targets.Count).SetTag("cipo.max_rounds", _options.MaxRounds);

        int maxRounds = _options.MaxRounds;
        IReadOnlyList<ForgetTarget> targets = request.Targets;
        IReadOnlyList<RetainExample> retain = request.Retain ?? [];
        IReadOnlyList<RetainExample> auditRetain = EvenlySpaced(retain, _options.MaxAuditRetainExamples);
        RunFolder? folder = request.RunFolder is null ? null : new RunFolder(request.RunFolder);
        string requestHash = RunFolder.HashRequest(request);

        RunState? state = folder is null ? null : await folder.TryLoadStateAsync(cancellationToken).ConfigureAwait(false);
        if (state is not null)
        {
            if (!string.Equals(state.RequestHash, requestHash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The run folder '{folder!.Path}' holds a run of a different request (other targets or retain data). Use a new run folder.");
            }
            if (state.LastFinishedRound > 0)
            {
                Report(progress, state.LastFinishedRound, UnlearningStages.Checkpoint, $"Resuming after round {state.LastFinishedRound}");
                await policy.LoadAsync(folder!.ModelFolder(state.LastFinishedRound), cancellationToken).ConfigureAwait(false);
                string? expected = state.Hashes.LastOrDefault()?.Weights;
                string actual = policy.ComputeWeightsHash();
                if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    _logger.LogWarning("The reloaded model of round {Round} has weights hash {Actual}, the checkpoint recorded {Expected}",
                        state.LastFinishedRound, actual, expected);
                }
            }
            _logger.LogInformation("Resuming the run in {RunFolder} after round {Round}", folder!.Path, state.LastFinishedRound);
        }
        else
        {
            Report(progress, 0, UnlearningStages.Audit, "Auditing the model before unlearning");
            string hashBefore = policy.ComputeWeightsHash();
            AuditReport before = await AuditAsync(policy, targets, auditRetain, round: 0, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Before unlearning: leakage {Leakage:P1} (trace {Trace:P1}, answer {Answer:P1}) over {Samples} samples",
                before.LeakageRate, before.TraceLeakageRate, before.AnswerLeakageRate, before.ForgetSamples);
            state = new RunState { RequestHash = requestHash, LastFinishedRound = 0, Before = before, WeightsHashBefore = hashBefore };
            if (folder is not null)
            {
                await folder.SaveStateAsync(state, cancellationToken).ConfigureAwait(false);
            }
        }

        var rounds = new List<RoundReport>(state.Rounds);
        var hashes = new List<RoundHashes>(state.Hashes);
        IReadOnlyList<SampledTrajectory>? originalLeaks = state.OriginalLeaks;
        LeakPool pool = new(state.LeakPool ?? state.OriginalLeaks ?? []);
        IReadOnlyList<CounterfactualTrajectory>? counterfactuals = state.Counterfactuals;

        for (int round = state.LastFinishedRound + 1; round <= maxRounds; round++)
        {
            AuditReport latest = rounds.Count > 0 ? rounds[^1].Audit : state.Before;
            if (IsConverged(latest, rounds.Count))
            {
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var stopwatch = Stopwatch.StartNew();
            using Activity? roundActivity = CipoTelemetry.ActivitySource.StartActivity(CipoTelemetry.RoundActivity)?.SetTag(CipoTelemetry.RoundTag, round);

            if (counterfactuals is null || _options.RegenerateCounterfactualsEachRound)
            {
                Report(progress, round, UnlearningStages.Counterfactuals, "Generating counterfactual reasoning");
                using Activity? generateActivity = CipoTelemetry.StartStage(UnlearningStages.Counterfactuals, round);
                counterfactuals = DropLeaking(await _generator.GenerateAsync(policy, targets, cancellationToken).ConfigureAwait(false), targets);
                generateActivity?.SetTag("cipo.counterfactuals", counterfactuals.Count);
            }

            Report(progress, round, UnlearningStages.Pairs, "Sampling the policy and building preference pairs");
            IReadOnlyList<SampledTrajectory> leaksForBuilder = _options.KeepOriginalLeaks ? pool.Leaks : [];
            PairBuildResult built;
            using (Activity? pairsActivity = CipoTelemetry.StartStage(UnlearningStages.Pairs, round))
            {
                built = await _pairBuilder.BuildAsync(policy, targets, counterfactuals, leaksForBuilder, round, cancellationToken).ConfigureAwait(false);
                pairsActivity?.SetTag("cipo.pairs", built.Pairs.Count);
            }
            originalLeaks ??= built.Samples.Where(s => s.Leakage.Leaks).Select(s => s with { Round = round }).ToArray();
            pool.Add(built.Samples, round);

            Report(progress, round, UnlearningStages.Optimize, $"Optimising on {built.Pairs.Count} pairs");
            var optimizeProgress = progress is null ? null : new SyncProgress<OptimizationProgress>(p =>
                Report(progress, round, UnlearningStages.Optimize, $"Step {p.Step}/{p.TotalSteps}"
                    + (p.Metrics.TryGetValue("loss", out double loss) ? $", loss {loss:0.####}" : ""), p));
            OptimizationReport optimization;
            using (Activity? optimizeActivity = CipoTelemetry.StartStage(UnlearningStages.Optimize, round))
            {
                optimization = await _optimizer.OptimizeAsync(policy, built.Pairs, retain, round, optimizeProgress, cancellationToken).ConfigureAwait(false);
                CipoTelemetry.RecordOptimization(optimization, round);
                optimizeActivity?.SetTag("cipo.steps", optimization.Steps);
            }

            Report(progress, round, UnlearningStages.Audit, "Auditing the model");
            AuditReport audit = await AuditAsync(policy, targets, auditRetain, round, cancellationToken).ConfigureAwait(false);
            stopwatch.Stop();
            CipoTelemetry.RecordRound(round, stopwatch.Elapsed);

            var report = new RoundReport
            {
                Round = round,
                Counterfactuals = counterfactuals.Count,
                CounterfactualsFromModel = counterfactuals.Count(c => c.Source == CounterfactualSource.Model),
                CounterfactualsFromTemplates = counterfactuals.Count(c => c.Source == CounterfactualSource.Template),
                CounterfactualsFromTeacher = counterfactuals.Count(c => c.Source == CounterfactualSource.Teacher),
                CounterfactualsByStrategy = counterfactuals.GroupBy(c => c.Strategy, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                Pairs = built.Pairs.Count,
                PairsFromOriginalLeaks = built.Pairs.Count(p => p.RejectedSource == "original"),
                PairsFromLeakPool = built.Pairs.Count(p => p.RejectedSource == "pool"),
                Optimization = optimization,
                Audit = audit,
                Duration = stopwatch.Elapsed,
            };
            _logger.LogInformation("Round {Round}/{MaxRounds}: {Pairs} pairs, leakage {Leakage:P1} (trace {Trace:P1}, answer {Answer:P1})",
                round, maxRounds, report.Pairs, audit.LeakageRate, audit.TraceLeakageRate, audit.AnswerLeakageRate);
            rounds.Add(report);

            if (folder is not null)
            {
                Report(progress, round, UnlearningStages.Checkpoint, $"Saving round {round} to {folder.RoundFolder(round)}");
                (string pairsHash, string metricsHash) = await folder.SaveRoundFilesAsync(round, built.Pairs, report, cancellationToken).ConfigureAwait(false);
                await policy.SaveAsync(folder.ModelFolder(round), cancellationToken).ConfigureAwait(false);
                hashes.Add(new RoundHashes(round, policy.ComputeWeightsHash(), pairsHash, metricsHash));
                state = state with
                {
                    LastFinishedRound = round,
                    OriginalLeaks = originalLeaks,
                    LeakPool = pool.Leaks,
                    Counterfactuals = counterfactuals,
                    Rounds = rounds.ToArray(),
                    Hashes = hashes.ToArray(),
                };
                await folder.SaveStateAsync(state, CancellationToken.None).ConfigureAwait(false);
                if (!_options.SaveModelEachRound && round > 1)
                {
                    DeleteQuietly(folder.ModelFolder(round - 1));
                }
            }
        }

        AuditReport after = rounds.Count > 0 ? rounds[^1].Audit : state.Before;
        bool converged = IsConverged(after, rounds.Count);
        runActivity?.SetTag("cipo.rounds", rounds.Count).SetTag("cipo.converged", converged).SetTag("cipo.leakage", after.LeakageRate);
        Report(progress, rounds.Count, UnlearningStages.Audit, converged
            ? $"Done: leakage {after.LeakageRate:P1} after {rounds.Count} rounds"
            : $"Stopped at the round limit with leakage {after.LeakageRate:P1}");
        return new UnlearningResult
        {
            Before = state.Before,
            After = after,
            Rounds = rounds,
            Converged = converged,
            WeightsHashBefore = state.WeightsHashBefore,
            WeightsHashAfter = policy.ComputeWeightsHash(),
        };
    }

    /// <summary>Stage 4 in its span, its leakage recorded; round 0 is the audit before unlearning.</summary>
    private async Task<AuditReport> AuditAsync(IPolicyModel policy, IReadOnlyList<ForgetTarget> targets, IReadOnlyList<RetainExample> retain, int round,
        CancellationToken cancellationToken)
    {
        using Activity? activity = CipoTelemetry.StartStage(UnlearningStages.Audit, round);
        AuditReport audit = await _auditor.AuditAsync(policy, targets, retain, round, cancellationToken).ConfigureAwait(false);
        CipoTelemetry.RecordAudit(audit, round, activity);
        return audit;
    }

    private bool IsConverged(AuditReport audit, int roundsDone) =>
        audit.LeakageRate <= _options.LeakageThreshold && roundsDone >= _options.MinRounds;

    private IReadOnlyList<CounterfactualTrajectory> DropLeaking(IReadOnlyList<CounterfactualTrajectory> generated, IReadOnlyList<ForgetTarget> targets)
    {
        var byId = targets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var kept = new List<CounterfactualTrajectory>(generated.Count);
        foreach (CounterfactualTrajectory counterfactual in generated)
        {
            if (byId.TryGetValue(counterfactual.TargetId, out ForgetTarget? target) && _detector.Check(counterfactual.Trajectory, target).Leaks)
            {
                _logger.LogWarning("Dropped a counterfactual of target {TargetId} that reveals the target", counterfactual.TargetId);
                continue;
            }
            kept.Add(counterfactual);
        }
        return kept;
    }

    private void Report(IProgress<UnlearningProgress>? progress, int round, string stage, string message, OptimizationProgress? optimization = null)
    {
        _logger.LogDebug("Round {Round} {Stage}: {Message}", round, stage, message);
        progress?.Report(new UnlearningProgress(round, _options.MaxRounds, stage, message) { Optimization = optimization });
    }

    private static void ValidateRequest(UnlearningRequest request)
    {
        if (request.Targets is null || request.Targets.Count == 0)
        {
            throw new ArgumentException("The request has no targets.", nameof(request));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (ForgetTarget target in request.Targets)
        {
            if (string.IsNullOrWhiteSpace(target.Id))
            {
                throw new ArgumentException("A target of the request has no id.", nameof(request));
            }
            if (!ids.Add(target.Id))
            {
                throw new ArgumentException($"Target id '{target.Id}' appears more than once in the request.", nameof(request));
            }
            if (target.Prompts is null || target.Prompts.Count == 0)
            {
                throw new ArgumentException($"Target '{target.Id}' has no prompt.", nameof(request));
            }
            // A forbidden string without letters or digits normalises to nothing and could never be matched: the run would
            // "converge" having checked nothing.
            var forbidden = new[] { ("Answer", target.Answer) }
                .Concat((target.Aliases ?? []).Select(a => ("Aliases", a)))
                .Concat((target.Keywords ?? []).Select(k => ("Keywords", k)));
            foreach ((string field, string value) in forbidden)
            {
                if (Leakage.TextNormalizer.Normalize(value).Length == 0)
                {
                    throw new ArgumentException(
                        $"Target '{target.Id}': {field} '{value}' has no letter or digit, so leakage matching could never find it.", nameof(request));
                }
            }
        }
    }

    private void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not delete the older model folder {Folder}", folder);
        }
        catch (UnauthorizedAccessException ex)
        {
            _logger.LogWarning(ex, "Could not delete the older model folder {Folder}", folder);
        }
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>At most <paramref name="max"/> items at evenly spaced indices (all when <paramref name="max"/> is 0 or not smaller).</summary>
    internal static IReadOnlyList<T> EvenlySpaced<T>(IReadOnlyList<T> items, int max)
    {
        if (max <= 0 || items.Count <= max)
        {
            return items;
        }
        var result = new T[max];
        for (int i = 0; i < max; i++)
        {
            result[i] = items[(int)((long)i * items.Count / max)];
        }
        return result;
    }
}
