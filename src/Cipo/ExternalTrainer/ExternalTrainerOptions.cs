using System.ComponentModel.DataAnnotations;

namespace Cipo.ExternalTrainer;

/// <summary>
/// Options of the external-trainer optimizer (<c>builder.UseExternalTrainer(...)</c>): the command that trains one round
/// elsewhere (for example TRL's DPO trainer under accelerate / DeepSpeed on a cluster) and the DPO settings written into
/// its config. Bound from configuration section <c>Cipo:ExternalTrainer</c>; validated at start.
/// </summary>
/// <remarks>
/// Each round gets a folder <c>{WorkFolder}/round-NNN/</c> with <c>model/</c> (the current policy, Hugging Face layout),
/// <c>dataset/train.jsonl</c> (the pairs in TRL's preference format), <c>retain.jsonl</c> (the retain examples in TRL's
/// prompt-completion format), <c>dpo_config.yaml</c> (TRL <c>DPOConfig</c> and <c>ModelConfig</c> field names), and
/// <c>output/</c>, where the command must leave a full Hugging Face checkpoint. In <see cref="Arguments"/> these
/// placeholders are replaced: <c>{round}</c>, <c>{work}</c>, <c>{model}</c>, <c>{dataset}</c>, <c>{pairs}</c>,
/// <c>{retain}</c>, <c>{config}</c>, <c>{output}</c> (absolute paths). See docs/scaling.md.
/// </remarks>
public sealed class ExternalTrainerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cipo:ExternalTrainer";

    /// <summary>The program to run (a path, or a name found on <c>PATH</c>), for example <c>trl</c> or <c>accelerate</c>. Required.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Command { get; set; } = "";

    /// <summary>
    /// Its arguments, one per item, placeholders replaced (no shell is involved, so no quoting is needed). The default
    /// value is empty, which means <see cref="DefaultArguments"/> (<c>dpo --config {config}</c>, TRL's CLI). Empty rather
    /// than pre-filled because configuration binding appends to a pre-filled list.
    /// </summary>
    public IList<string> Arguments { get; set; } = new List<string>();

    /// <summary>The arguments used when <see cref="Arguments"/> is empty: <c>dpo --config {config}</c>.</summary>
    public static IReadOnlyList<string> DefaultArguments { get; } = ["dpo", "--config", "{config}"];

    /// <summary>Folder of the round folders; created when missing. Required. A rerun with the same pairs reuses a finished round's output.</summary>
    [Required(AllowEmptyStrings = false)]
    public string WorkFolder { get; set; } = "";

    /// <summary>Working directory of the command; the round folder when null. The default value is null.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Extra environment variables of the command (for example <c>CUDA_VISIBLE_DEVICES</c>). The default value is none.</summary>
    public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Longest a round may run before the command (and its child processes) is killed, in seconds. The default value is 86,400 (a day); range 1 to 2,592,000 (30 days).</summary>
    [Range(1, 2_592_000)]
    public int TimeoutSeconds { get; set; } = 86_400;

    /// <summary>DPO β (<c>beta</c>). The default value is 0.1; range (0, 100].</summary>
    [Range(1e-9, 100.0)]
    public double Beta { get; set; } = 0.1;

    /// <summary>Peak learning rate (<c>learning_rate</c>). The default value is 5e-7, TRL's DPO default; range (0, 1].</summary>
    [Range(1e-12, 1.0)]
    public double LearningRate { get; set; } = 5e-7;

    /// <summary>Epochs over the round's pairs (<c>num_train_epochs</c>). The default value is 1; range (0, 1000].</summary>
    [Range(1e-9, 1000.0)]
    public double Epochs { get; set; } = 1;

    /// <summary>Optimizer steps of a round (<c>max_steps</c>); 0 lets <see cref="Epochs"/> decide. The default value is 0; range 0 to 10,000,000.</summary>
    [Range(0, 10_000_000)]
    public int MaxSteps { get; set; }

    /// <summary>Pairs per device per step (<c>per_device_train_batch_size</c>). The default value is 8; range 1 to 65,536.</summary>
    [Range(1, 65_536)]
    public int PerDeviceBatchSize { get; set; } = 8;

    /// <summary>Gradient accumulation steps (<c>gradient_accumulation_steps</c>). The default value is 1; range 1 to 65,536.</summary>
    [Range(1, 65_536)]
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>TRL loss name (<c>loss_type</c>): <c>sigmoid</c>, <c>ipo</c>, <c>hinge</c>, <c>robust</c>, … The default value is <c>sigmoid</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LossType { get; set; } = "sigmoid";

    /// <summary>Seed of the trainer (<c>seed</c>); the round number is added, so rounds differ. The default value is 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>System message of every prompt in the pairs file; none when null. The default value is null.</summary>
    public string? SystemMessage { get; set; }

    /// <summary>
    /// Further config fields, written as given (numbers and <c>true</c>/<c>false</c> as JSON numbers and booleans, the rest
    /// as strings) and overriding the fields above: <c>bf16: true</c>, <c>gradient_checkpointing: true</c>,
    /// <c>max_length: 2048</c>, … The default value is none.
    /// </summary>
    public IDictionary<string, string> ExtraConfig { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Returns these options when valid: the same check as at host start (data annotations, then the rules they cannot
    /// express), for options passed directly rather than resolved from a service provider.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A field is invalid; the failures name each.</exception>
    public ExternalTrainerOptions Validated() => ExternalTrainerOptionsValidator.Instance.ThrowIfInvalid(this);
}
