using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cipo.Data;
using Cipo.Internal;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cipo.Cli;

/// <summary>
/// <c>cipo unlearn</c>: validates every input (arguments, config and options, JSONL files, the model folder, and that
/// <c>--out</c> is a folder it may write: <see cref="OutputFolder"/>) before it touches <c>--out</c>, then, holding the
/// folder's lock, runs <see cref="ICipoUnlearner"/> with <c>--out/.cipo-run</c> as the run folder and writes
/// <c>--out/model</c> and <c>--out/run-report.json</c>. A rerun resumes only when every input's content is unchanged
/// (<see cref="UnlearnFingerprint"/>).
/// </summary>
internal sealed class UnlearnCommand(TextWriter stdout, TextWriter stderr)
{
    public const string RunFolderName = ".cipo-run";
    public const string ModelFolderName = "model";
    public const string FingerprintFileName = UnlearnFingerprint.FileName;

    private readonly Lock _gate = new();

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        UnlearnArguments a;
        try
        {
            a = UnlearnArguments.Parse(args);
        }
        catch (CliInputException ex)
        {
            await stderr.WriteLineAsync($"cipo unlearn: {ex.Message}{Environment.NewLine}Run 'cipo unlearn --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        if (a.Help)
        {
            await stdout.WriteLineAsync(HelpText.Unlearn).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        string outDir = Path.GetFullPath(a.Out);
        ServiceProvider? provider = null;
        TorchSharpPolicy? policy = null;
        OutputFolder? output = null;
        try
        {
            DateTimeOffset started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();

            // 1. Paths.
            RequireDirectory(a.Model, "--model");
            RequireFile(a.Forget, "--forget");
            RequireFile(a.Retain, "--retain");
            RequireFile(a.Config, "--config");
            output = OutputFolder.Inspect(a.Out, "--out", "unlearn",
                new OutputFolder.Input[] { new("--model", a.Model), new("--forget", a.Forget), new("--retain", a.Retain!), new("--config", a.Config!) }
                    .Where(i => i.Path is not null));
            // A folder another run is writing stops this one now, not after loading the model.
            output.LockEarly();

            // 2. Configuration and options.
            IConfiguration configuration = CliOptions.BuildConfiguration(a);
            provider = BuildServices(configuration, a.Verbose);
            CliOptions options = CliOptions.Resolve(provider, configuration,
                a.Config is null ? "command line" : $"{Path.GetFileName(a.Config)} and the command line");
            try
            {
                TorchDevices.Parse(a.Device);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                throw new CliInputException($"--device: {ex.Message}", ex);
            }
            if (a.Threads is int threads)
            {
                // On a busy machine fewer threads than cores avoids oversubscription (spinning OpenMP workers).
                global::TorchSharp.torch.set_num_threads(threads);
            }

            // 3. Data.
            IReadOnlyList<ForgetTarget> targets = await ReadJsonl(() => ForgetTargetJsonl.ReadAsync(a.Forget, InputChecks.ReadOptions(a.Forget, stderr, _gate), cancellationToken)).ConfigureAwait(false);
            if (targets.Count == 0)
            {
                throw new CliInputException($"{Path.GetFileName(a.Forget)}: no forget targets");
            }
            IReadOnlyList<RetainExample> retain = a.Retain is null
                ? []
                : await ReadJsonl(() => RetainExampleJsonl.ReadAsync(a.Retain, InputChecks.ReadOptions(a.Retain, stderr, _gate), cancellationToken)).ConfigureAwait(false);

            // 4. Model.
            policy = LoadModel(a.Model, a.Device, InputChecks.WorkingSetFactor(options));
            cancellationToken.ThrowIfCancellationRequested();
            await InputChecks.CheckPromptLengthsAsync(policy, options, a.Forget, a.Retain, cancellationToken).ConfigureAwait(false);

            // 5. The inputs' content: a run in --out resumes only when none changed.
            var inputs = new RunReport.InputsInfo(
                await DescribeAsync(a.Forget, targets.Count, cancellationToken).ConfigureAwait(false),
                a.Retain is null ? null : await DescribeAsync(a.Retain, retain.Count, cancellationToken).ConfigureAwait(false),
                a.Config is null ? null : await DescribeAsync(a.Config, null, cancellationToken).ConfigureAwait(false));
            JsonObject fingerprint = await UnlearnFingerprint.BuildAsync(a.Model, inputs, options, cancellationToken).ConfigureAwait(false);
            string runFolder = Path.Combine(outDir, RunFolderName);
            string fingerprintPath = Path.Combine(runFolder, FingerprintFileName);

            // 6. The output folder: new (created and marked), or this command's, locked for the run's lifetime. An
            // existing folder of ours gains at most its lock file here, so the checks below still write nothing.
            output.Claim();
            bool resumed = !a.Restart && await UnlearnFingerprint.CheckResumableAsync(fingerprintPath, fingerprint, outDir, cancellationToken).ConfigureAwait(false);

            // Everything is valid: from here on --out is written.
            if (a.Restart)
            {
                output.Discard(RunFolderName, ModelFolderName, RunReport.FileName);
            }
            IReadOnlyList<string> stale = output.RemoveStaleTemporaries();
            if (stale.Count > 0)
            {
                WriteError($"Removed {stale.Count} temporary file(s) or folder(s) an interrupted run left in {outDir}");
            }
            Directory.CreateDirectory(runFolder);
            if (!resumed)
            {
                await AtomicFile.WriteAllTextAsync(fingerprintPath, fingerprint.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken)
                    .ConfigureAwait(false);
            }
            else
            {
                WriteError($"Resuming the run in {runFolder}");
            }

            var unlearner = provider.GetRequiredService<ICipoUnlearner>();
            var request = new UnlearningRequest { Targets = targets, Retain = retain, RunFolder = runFolder };
            UnlearningResult result = await unlearner.UnlearnAsync(policy, request, new ProgressPrinter(stderr, _gate, a.Verbose), cancellationToken)
                .ConfigureAwait(false);

            string modelOut = Path.Combine(outDir, ModelFolderName);
            WriteError($"Saving the model to {modelOut}");
            await policy.SaveAsync(modelOut, a.SaveDType, cancellationToken).ConfigureAwait(false);

            int exitCode = result.Converged ? ExitCodes.Success : ExitCodes.NotConverged;
            clock.Stop();
            var report = new RunReport
            {
                Version = CipoCli.Version,
                StartedUtc = started,
                FinishedUtc = DateTimeOffset.UtcNow,
                WallTimeSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                ExitCode = exitCode,
                Converged = result.Converged,
                Resumed = resumed,
                Model = new RunReport.ModelInfo(Path.GetFullPath(a.Model), modelOut, a.Device, result.WeightsHashBefore, result.WeightsHashAfter),
                Inputs = inputs,
                Options = options,
                Result = result,
            };
            string reportPath = Path.Combine(outDir, RunReport.FileName);
            await AtomicFile.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, RunReport.JsonOptions), CancellationToken.None).ConfigureAwait(false);

            if (a.Json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(RunSummary.From(report, reportPath), RunReport.JsonOptions)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(FormatTable(report, reportPath)).ConfigureAwait(false);
            }
            if (!result.Converged)
            {
                WriteError($"The leakage threshold ({options.Cipo.LeakageThreshold:P1}) was not reached in {options.Cipo.MaxRounds} rounds "
                    + $"(leakage {result.After.LeakageRate:P1}); rerun with a higher --max-rounds and the same --out to continue.");
            }
            return exitCode;
        }
        catch (CliInputException ex)
        {
            WriteError($"cipo unlearn: error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteError(output?.State == OutputFolder.FolderState.Ours && Directory.Exists(Path.Combine(outDir, RunFolderName))
                ? $"cipo unlearn: cancelled. Finished rounds are kept in {Path.Combine(outDir, RunFolderName)}; run the same command again to resume."
                : "cipo unlearn: cancelled before anything was written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (InputChecks.DescribeFailure(ex) is { } failure)
        {
            WriteError($"cipo unlearn: error: {failure}");
            return ExitCodes.UnexpectedError;
        }
        catch (Exception ex)
        {
            WriteError($"cipo unlearn: unexpected error: {ex}");
            return ExitCodes.UnexpectedError;
        }
        finally
        {
            output?.Dispose();
            policy?.Dispose();
            if (provider is not null)
            {
                await provider.DisposeAsync().ConfigureAwait(false);
            }
            lock (_gate)
            {
                stderr.Flush();
            }
        }
    }

    private ServiceProvider BuildServices(IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
            if (ReferenceEquals(stderr, Console.Error))
            {
                logging.AddSimpleConsole(o => o.SingleLine = true);
                logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
            else
            {
                logging.AddProvider(new TextWriterLoggerProvider(stderr, _gate));
            }
        });
        services.AddCipo();
        CliOptions.Bind(services, configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<IReadOnlyList<T>> ReadJsonl<T>(Func<Task<IReadOnlyList<T>>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (JsonlFormatException ex)
        {
            throw new CliInputException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException(ex.Message, ex);
        }
    }

    private static TorchSharpPolicy LoadModel(string folder, string device, double workingSetFactor)
    {
        try
        {
            return TorchSharpPolicy.Load(folder, new ModelLoadOptions { Device = device, WorkingSetFactor = workingSetFactor });
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new CliInputException($"--model '{folder}': cannot load the model: {ex.Message}", ex);
        }
    }

    private static void RequireFile(string? path, string option)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new CliInputException($"{option} '{path}': file not found");
        }
        InputChecks.RequireRegularFile(path, option);
    }

    private static void RequireDirectory(string path, string option)
    {
        if (!Directory.Exists(path))
        {
            throw new CliInputException($"{option} '{path}': folder not found");
        }
    }

    private static async Task<RunReport.InputFile> DescribeAsync(string path, int? records, CancellationToken cancellationToken) =>
        new(Path.GetFullPath(path), await FileHash.Sha256Async(path, cancellationToken).ConfigureAwait(false), records);

    private static string FormatTable(RunReport report, string reportPath)
    {
        AuditReport before = report.Result.Before;
        AuditReport after = report.Result.After;
        var sb = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"{"",-18}{"before",10}{"after",10}");
        sb.AppendLine(c, $"{"trace leakage",-18}{Pct(before.TraceLeakageRate),10}{Pct(after.TraceLeakageRate),10}");
        sb.AppendLine(c, $"{"answer leakage",-18}{Pct(before.AnswerLeakageRate),10}{Pct(after.AnswerLeakageRate),10}");
        sb.AppendLine(c, $"{"retain accuracy",-18}{Pct(before.RetainAccuracy),10}{Pct(after.RetainAccuracy),10}");
        sb.AppendLine(c, $"rounds: {report.Result.Rounds.Count} ({(report.Converged ? "converged" : "not converged")}), wall time {report.WallTimeSeconds:0.0} s");
        sb.AppendLine(c, $"model:  {report.Model.Output}");
        sb.AppendLine(c, $"report: {reportPath}");
        return sb.ToString();

        static string Pct(double value) => double.IsNaN(value) ? "n/a" : value.ToString("P1", CultureInfo.InvariantCulture);
    }

    private void WriteError(string line)
    {
        lock (_gate)
        {
            stderr.WriteLine(line);
        }
    }
}
