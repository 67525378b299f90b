using System.ComponentModel.DataAnnotations;

namespace Cipo.Data;

/// <summary>
/// Limits, checks and progress reporting for the JSONL readers (<see cref="ForgetTargetJsonl"/>, <see cref="RetainExampleJsonl"/>
/// and the audit probe reader). A file is read as a stream, one line at a time, so memory stays bounded by
/// <see cref="MaxLineBytes"/> however large the file is.
/// </summary>
public sealed record JsonlReadOptions
{
    /// <summary>The default longest line: 1 MiB (1,048,576 bytes).</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    /// <summary>The options every reader uses when none are given.</summary>
    public static JsonlReadOptions Default { get; } = new();

    /// <summary>
    /// The longest line accepted, in bytes (UTF-8, without the line break). A longer line is refused as soon as the
    /// limit is passed, without reading the rest of it. The default value is <see cref="DefaultMaxLineBytes"/> (1 MiB).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>
    /// The most records (non-blank lines) accepted, or <see langword="null"/> for the reader's default
    /// (<see cref="ForgetTargetJsonl.DefaultMaxRecords"/>, <see cref="RetainExampleJsonl.DefaultMaxRecords"/>).
    /// The default value is <see langword="null"/>.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? MaxRecords { get; init; }

    /// <summary>
    /// Checks each prompt as it is read: called with the field name (<c>prompt</c> or <c>prompts</c>) and the prompt;
    /// a non-null result refuses the line with a <see cref="JsonlFormatException"/> whose detail is that text (for
    /// example a prompt too long for the model's context). The default value is <see langword="null"/> (no check).
    /// </summary>
    public Func<string, string, string?>? CheckPrompt { get; init; }

    /// <summary>Receives the bytes read so far, about every mebibyte and at the end. The default value is <see langword="null"/>.</summary>
    public IProgress<JsonlReadProgress>? Progress { get; init; }

    /// <summary>Returns these options when valid (both limits positive): the same one validator as every options class.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A limit is zero or negative; the failures name it.</exception>
    public JsonlReadOptions Validated() => JsonlReadOptionsValidator.Instance.ThrowIfInvalid(this);
}

/// <summary>How far a JSONL read has come.</summary>
/// <param name="BytesRead">Bytes of the file consumed so far.</param>
/// <param name="TotalBytes">The file's length when the read started.</param>
/// <param name="Records">Records (non-blank lines) read so far.</param>
public readonly record struct JsonlReadProgress(long BytesRead, long TotalBytes, int Records);
