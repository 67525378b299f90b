namespace Cipo.TorchSharp.Generation;

/// <summary>Why a row stopped generating.</summary>
public enum FinishReason
{
    /// <summary>The row produced an end-of-sequence token (see <see cref="GenerationOptions.EosTokenIds"/>).</summary>
    Eos,
    /// <summary>The row's decoded text contains one of <see cref="GenerationOptions.StopStrings"/>.</summary>
    StopString,
    /// <summary>The row reached <see cref="GenerationOptions.MaxNewTokens"/>.</summary>
    Length,
}

/// <summary>The continuation of one prompt.</summary>
/// <param name="TokenIds">
/// Every generated token, prompt excluded, including the final EOS token or the token that completed a stop string.
/// </param>
/// <param name="Text">
/// The decoded new tokens when a tokenizer was given, else <see langword="null"/>. The final EOS token and everything from
/// the first stop string on are left out; special tokens other than the EOS are kept.
/// </param>
/// <param name="FinishReason">Why the row stopped.</param>
public sealed record GenerationResult(IReadOnlyList<int> TokenIds, string? Text, FinishReason FinishReason);
