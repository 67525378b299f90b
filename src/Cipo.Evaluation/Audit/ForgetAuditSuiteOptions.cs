using System.ComponentModel.DataAnnotations;

namespace Cipo.Evaluation.Audit;

/// <summary>Options of <see cref="ForgetAuditSuite"/>, the full forget audit (section <c>Cipo:AuditSuite</c>).</summary>
public sealed class ForgetAuditSuiteOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Cipo:AuditSuite";

    /// <summary>k of leak@k: samples per forget probe (a probe leaks if any sample does). Range 1–256. The default value is 16.</summary>
    [Range(1, 256)]
    public int K { get; set; } = 16;

    /// <summary>Sampling temperature of leak@k. Range 0.05–2. The default value is 1.0.</summary>
    [Range(0.05, 2.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>Most new tokens per generated trajectory. Range 8–8192. The default value is 128.</summary>
    [Range(8, 8192)]
    public int MaxNewTokens { get; set; } = 128;

    /// <summary>k of the Min-K% membership score, in percent. Range 1–100. The default value is 20.</summary>
    [Range(1.0, 100.0)]
    public double MinKPercent { get; set; } = 20;

    /// <summary>
    /// Relearning attack: fine-tuning steps on a copy of the model (opt-in; 0 = off). Range 0–10000. The default value is 0.
    /// </summary>
    [Range(0, 10_000)]
    public int RelearnSteps { get; set; }

    /// <summary>Relearning attack: AdamW learning rate. Range 1e-8–1. The default value is 1e-3.</summary>
    [Range(1e-8, 1.0)]
    public double RelearnLearningRate { get; set; } = 1e-3;

    /// <summary>
    /// Relearning curve: further attack budgets (fine-tuning steps, each from the audited model afresh, the same data,
    /// learning rate and seed), each measured like the attack as <c>relearn/curve/steps{N}/leak_after</c>: how fast the
    /// forgotten knowledge comes back. Each value 1–10000, at most 16 values. The default value is none.
    /// </summary>
    public List<int> RelearnCurveSteps { get; set; } = [];

    /// <summary>Degenerate outputs: longest back-to-back repeated n-gram checked. Range 1–16. The default value is 4.</summary>
    [Range(1, 16)]
    public int DegenerateMaxNGram { get; set; } = 4;

    /// <summary>Degenerate outputs: back-to-back repeats of an n-gram that flag an output. Range 2–100. The default value is 4.</summary>
    [Range(2, 100)]
    public int DegenerateMinRepeats { get; set; } = 4;

    /// <summary>Degenerate outputs: share of junk tokens that flags an output as gibberish. Range 0.01–1. The default value is 0.5.</summary>
    [Range(0.01, 1.0)]
    public double DegenerateJunkShare { get; set; } = 0.5;

    /// <summary>
    /// Degenerate outputs: marker words of other tasks' formats (whole tokens); a forget output holding one that its
    /// probe's reference trace lacks is off-topic. Empty (the default) turns the rule off; the embedded world uses the
    /// column-arithmetic words.
    /// </summary>
    public string[] DegenerateOffTopicMarkers { get; set; } = [];

    /// <summary>
    /// Degenerate outputs: whether an answer of the other form than the probe's expected answer (a number against words)
    /// counts as degenerate. Off by default (free text may write a year in words); the embedded world turns it on.
    /// </summary>
    public bool DegenerateAnswerForm { get; set; }

    /// <summary>Seed of leak@k sampling and of the relearning attack. The default value is 0.</summary>
    public long Seed { get; set; }

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public ForgetAuditSuiteOptions Validated() => ForgetAuditSuiteOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>The validator of <see cref="ForgetAuditSuiteOptions"/>: its data annotations.</summary>
internal sealed class ForgetAuditSuiteOptionsValidator : Cipo.Internal.OptionsValidator<ForgetAuditSuiteOptions>
{
    /// <summary>The instance <see cref="ForgetAuditSuiteOptions.Validated"/> runs.</summary>
    public static ForgetAuditSuiteOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(ForgetAuditSuiteOptions options)
    {
        if (options.RelearnCurveSteps is null)
        {
            yield return "ForgetAuditSuiteOptions.RelearnCurveSteps must not be null.";
            yield break;
        }
        if (options.RelearnCurveSteps.Count > 16)
            yield return $"ForgetAuditSuiteOptions.RelearnCurveSteps holds {options.RelearnCurveSteps.Count} budgets; at most 16.";
        foreach (int steps in options.RelearnCurveSteps.Where(s => s is < 1 or > 10_000))
            yield return $"ForgetAuditSuiteOptions.RelearnCurveSteps contains {steps}; each must be in 1–10000.";
    }
}
