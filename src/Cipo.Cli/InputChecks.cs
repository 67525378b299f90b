using Cipo.Data;
using Cipo.Internal;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;

namespace Cipo.Cli;

/// <summary>
/// What <c>cipo unlearn</c> and <c>cipo audit</c> check of their inputs beyond the formats: regular files only, prompts
/// that fit the model's context, a progress bar while a large file is read; and the plain message (no stack trace) for
/// failures that are not bugs: a full or read-only disk, training that diverged.
/// </summary>
internal static class InputChecks
{
    /// <summary>Files from this size on are read with a progress bar (16 MiB).</summary>
    public const long ProgressFromBytes = 16L << 20;

    /// <summary>Throws <see cref="CliInputException"/> unless <paramref name="path"/> (when given) is a regular file.</summary>
    public static void RequireRegularFile(string? path, string option)
    {
        if (path is not null && RegularFile.Problem(path) is { } problem)
        {
            throw new CliInputException($"{option}: {problem}");
        }
    }

    /// <summary>Read options for a JSONL input: the default limits, with a progress bar on <paramref name="stderr"/> for a large file.</summary>
    public static JsonlReadOptions ReadOptions(string path, TextWriter stderr, Lock gate)
    {
        if (new FileInfo(path) is not { Exists: true, Length: >= ProgressFromBytes })
        {
            return JsonlReadOptions.Default;
        }
        var bar = new ProgressBar(stderr, gate, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected, $"reading {Path.GetFileName(path)}");
        return new JsonlReadOptions
        {
            Progress = new SyncProgress(p =>
            {
                bar.Update(p.BytesRead >> 20, p.TotalBytes >> 20, $"MiB, {p.Records:N0} records");
                if (p.BytesRead >= p.TotalBytes)
                {
                    bar.Complete($"{p.Records:N0} records");
                }
            }),
        };
    }

    /// <summary>
    /// Refuses a forget or retain prompt that leaves no room in the model's context for the tokens the run generates after
    /// it (the largest <c>MaxNewTokens</c> of the stages; with each counterfactual instruction too). The files are read
    /// again with the check, so the message names file, line and field.
    /// </summary>
    /// <exception cref="CliInputException">A prompt is too long; the message names file, line and field and gives the token counts.</exception>
    public static async Task CheckPromptLengthsAsync(TorchSharpPolicy policy, CliOptions options, string forget, string? retain, CancellationToken cancellationToken)
    {
        int budget = Math.Max(options.Pairs.MaxNewTokens, options.Audit.MaxNewTokens);
        string?[] instructions = options.Counterfactuals.Strategies
            .Select(CounterfactualInstructions.ForStrategy)
            .Where(t => t is not null)
            .ToArray();
        var forgetOptions = new JsonlReadOptions
        {
            CheckPrompt = (_, prompt) => policy.CheckPromptLength(prompt, budget)
                ?? instructions.Select(i => policy.CheckPromptLength(prompt, options.Counterfactuals.MaxNewTokens, i)).FirstOrDefault(p => p is not null),
        };
        var retainOptions = new JsonlReadOptions { CheckPrompt = (_, prompt) => policy.CheckPromptLength(prompt, options.Audit.MaxNewTokens) };
        try
        {
            await ForgetTargetJsonl.ReadAsync(forget, forgetOptions, cancellationToken).ConfigureAwait(false);
            if (retain is not null)
            {
                await RetainExampleJsonl.ReadAsync(retain, retainOptions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonlFormatException ex)
        {
            throw new CliInputException(ex.Message, ex);
        }
    }

    /// <summary>
    /// The multiple of the weights' size a run holds at once (<see cref="TorchSharp.Checkpoints.ModelLoadOptions.WorkingSetFactor"/>):
    /// weights, gradients and two AdamW moments when every parameter trains (4), about 1.25 with LoRA, plus a frozen
    /// reference copy when reference log-probs are computed live.
    /// </summary>
    public static double WorkingSetFactor(CliOptions options) =>
        (options.Optimizer.Lora.Enabled ? 1.25 : 4) + (options.Optimizer.PrecomputeReferenceLogProbs ? 0 : 1);

    /// <summary>The message for a failure that is not a bug (no stack trace), or <see langword="null"/> for any other.</summary>
    public static string? DescribeFailure(Exception error) => error switch
    {
        NonFiniteTrainingException => $"training diverged: {error.Message} Finished rounds are kept in the run folder.",
        IOException or UnauthorizedAccessException => error.Message,
        _ => null,
    };

    // Progress<T> would post to the thread pool and draw out of order; the bar is drawn on the reading thread.
    private sealed class SyncProgress(Action<JsonlReadProgress> report) : IProgress<JsonlReadProgress>
    {
        public void Report(JsonlReadProgress value) => report(value);
    }
}
