namespace Cipo;

/// <summary>
/// A policy that can show its residual stream: the hidden state of every layer at the last token of a prompt. The audit's
/// hidden-state probe needs it (is a forgotten answer still linearly decodable from the representations?); for a policy
/// without it the probe is left out.
/// </summary>
public interface IHiddenStateReader
{
    /// <summary>
    /// For each user prompt (written in the policy's prompt format, as for generation), the hidden state at its last token
    /// after the embeddings (entry 0) and after each decoder layer (entries 1 … layers), before any final norm: one array
    /// per layer of the hidden size.
    /// </summary>
    /// <param name="userPrompts">Unformatted user prompts.</param>
    /// <param name="cancellationToken">Checked between prompts.</param>
    IReadOnlyList<float[][]> ReadHiddenStates(IReadOnlyList<string> userPrompts, CancellationToken cancellationToken = default);
}
