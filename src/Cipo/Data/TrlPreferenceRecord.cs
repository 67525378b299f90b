namespace Cipo.Data;

/// <summary>A preference pair in TRL's common format: formatted prompt text and the two completion texts.</summary>
/// <param name="Prompt">The prompt as fed to the model (chat markers included).</param>
/// <param name="Chosen">The preferred completion text.</param>
/// <param name="Rejected">The dispreferred completion text.</param>
public sealed record TrlPreferenceRecord(string Prompt, string Chosen, string Rejected);
