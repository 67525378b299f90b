using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cipo.Samples.HostedWorker;

/// <summary>
/// Runs one unlearning job and stops the host. Ctrl+C (or SIGTERM) cancels the stopping token: the loop stops between
/// checkpoints, and the next start resumes after the last finished round in <see cref="WorkerOptions.RunFolder"/>.
/// </summary>
internal sealed class UnlearningWorker(ICipoUnlearner unlearner, IOptions<WorkerOptions> options, IHostApplicationLifetime lifetime,
    ILogger<UnlearningWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerOptions o = options.Value;
        try
        {
            WorldModelOptions modelOptions = o.Smoke ? WorldModelOptions.Smoke() : new WorldModelOptions();
            WorldSplit split = ReasoningWorld.Generate(modelOptions.World).Split(o.ForgetFraction);
            TorchThreads.Set(1); // the embedded model is tiny: one torch thread is fastest (set before the first torch call)
            using TorchSharpPolicy policy = await WorldModelCache.GetOrTrainAsync(modelOptions, cancellationToken: stoppingToken);

            var progress = new LogProgress(logger);
            UnlearningResult result = await unlearner.UnlearnAsync(policy,
                new UnlearningRequest { Targets = split.ForgetTargets, Retain = split.RetainExamples(), RunFolder = Path.GetFullPath(o.RunFolder) },
                progress, stoppingToken);
            logger.LogInformation("Done after {Rounds} rounds: leakage {Before:P0} -> {After:P0}; checkpoints in {RunFolder}",
                result.Rounds.Count, result.Before.LeakageRate, result.After.LeakageRate, o.RunFolder);
            Environment.ExitCode = 0;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Stopped. Start again to resume from the last finished round in {RunFolder}", o.RunFolder);
            Environment.ExitCode = 3;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Logs each report as it comes (Progress&lt;T&gt; would post to the thread pool and could reorder the lines).</summary>
    private sealed class LogProgress(ILogger logger) : IProgress<UnlearningProgress>
    {
        public void Report(UnlearningProgress value) => logger.LogInformation("round {Round}: {Stage} - {Message}", value.Round, value.Stage, value.Message);
    }
}
