namespace Cipo;

/// <summary>How much one module of a model moved: ‖W_after − W_before‖_F / ‖W_before‖_F over the module's parameters.</summary>
/// <param name="Layer">0-based decoder layer, or -1 for parameters outside the layers (embeddings, final norm, LM head).</param>
/// <param name="Module">The module within its layer in Hugging Face naming: <c>self_attn.q_proj</c>, <c>mlp.down_proj</c>, <c>input_layernorm</c>, <c>embed_tokens</c>, <c>norm</c>, <c>lm_head</c>.</param>
/// <param name="RelativeChange">
/// Frobenius norm of the change over the Frobenius norm before, taken over all of the module's parameters together
/// (weight and bias as one vector); 0 for an unchanged module (even an all-zero one), +∞ when an all-zero module changed; NaN only if a producer could not measure it.
/// </param>
public sealed record WeightChange(int Layer, string Module, double RelativeChange);
