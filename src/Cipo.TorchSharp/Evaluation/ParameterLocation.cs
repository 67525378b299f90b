using System.Globalization;

namespace Cipo.TorchSharp.Evaluation;

/// <summary>Where a parameter sits in a decoder: its layer and module, parsed from its Hugging Face name.</summary>
/// <param name="Layer">0-based decoder layer, or -1 outside the layers.</param>
/// <param name="Module">The module path within the layer (or below the model root) without the trailing <c>weight</c> / <c>bias</c>.</param>
public readonly record struct ParameterLocation(int Layer, string Module)
{
    /// <summary>Layer number of parameters that belong to no decoder layer (embeddings, final norm, LM head).</summary>
    public const int OutsideLayers = -1;

    // Containers of the numbered blocks in the naming schemes seen in checkpoints (Llama/Qwen "layers", GPT-2 "h", others "blocks").
    private static readonly string[] LayerContainers = ["layers", "h", "blocks"];
    // Prefixes that only say "the body of the model" and carry no module information.
    private static readonly string[] RootPrefixes = ["model", "transformer", "base_model"];

    /// <summary>
    /// Parses <c>model.layers.3.self_attn.q_proj.weight</c> as (3, <c>self_attn.q_proj</c>),
    /// <c>model.embed_tokens.weight</c> as (-1, <c>embed_tokens</c>) and <c>lm_head.weight</c> as (-1, <c>lm_head</c>).
    /// </summary>
    /// <param name="parameterName">A dotted parameter name as in <c>named_parameters()</c> or a safetensors file.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static ParameterLocation Parse(string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        string[] parts = parameterName.Split('.');
        int end = parts.Length;
        // The tensor's own name (weight, bias) is not part of the module.
        if (end > 1 && (parts[end - 1] == "weight" || parts[end - 1] == "bias"))
        {
            end--;
        }
        for (int i = 0; i + 2 < end; i++)
        {
            if (Array.IndexOf(LayerContainers, parts[i]) >= 0
                && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int layer))
            {
                return new ParameterLocation(layer, string.Join('.', parts, i + 2, end - i - 2));
            }
        }
        int start = 0;
        while (start < end - 1 && Array.IndexOf(RootPrefixes, parts[start]) >= 0)
        {
            start++;
        }
        return new ParameterLocation(OutsideLayers, string.Join('.', parts, start, end - start));
    }
}
