namespace Cipo.Evaluation.Reports;

/// <summary>Weight changes laid out as layers × modules for the heatmap: one row per layer, then one row for the parameters outside the layers.</summary>
internal sealed record WeightChangeGrid(IReadOnlyList<string> RowLabels, IReadOnlyList<string> ColumnLabels, double[,] Values)
{
    // Decoder modules in the order of the forward pass, so the heatmap reads left to right like the computation.
    private static readonly string[] ModuleOrder =
    [
        "input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.q_norm", "self_attn.k_norm",
        "self_attn.o_proj", "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj",
        "embed_tokens", "norm", "lm_head",
    ];

    public const string OutsideLayersLabel = "outside layers";

    public static WeightChangeGrid From(IReadOnlyList<WeightChange> changes)
    {
        int[] layers = changes.Where(c => c.Layer >= 0).Select(c => c.Layer).Distinct().Order().ToArray();
        bool outside = changes.Any(c => c.Layer < 0);
        string[] modules = changes.Select(c => c.Module).Distinct(StringComparer.Ordinal)
            .OrderBy(m => Array.IndexOf(ModuleOrder, m) is int i && i >= 0 ? i : ModuleOrder.Length)
            .ThenBy(m => m, StringComparer.Ordinal)
            .ToArray();
        var rowLabels = layers.Select(l => $"layer {l}").ToList();
        if (outside)
        {
            rowLabels.Add(OutsideLayersLabel);
        }
        var values = new double[rowLabels.Count, modules.Length];
        for (int r = 0; r < rowLabels.Count; r++)
        {
            for (int c = 0; c < modules.Length; c++)
            {
                values[r, c] = double.NaN;
            }
        }
        foreach (WeightChange change in changes)
        {
            int row = change.Layer >= 0 ? Array.IndexOf(layers, change.Layer) : rowLabels.Count - 1;
            // ∞ (a zero module that changed) would swamp the colour scale; such a cell is shown as missing and listed in the table.
            values[row, Array.IndexOf(modules, change.Module)] = double.IsFinite(change.RelativeChange) ? change.RelativeChange : double.NaN;
        }
        return new WeightChangeGrid(rowLabels, modules, values);
    }
}
