using Cipo.TorchSharp.Modeling;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Cipo.TorchSharp.Lora;

/// <summary>Adds LoRA adapters to a <see cref="CausalLM"/>, lists them, folds them into the base weights or removes them.</summary>
public static class LoraInjector
{
    /// <summary>
    /// Hooks a <see cref="LoraAdapter"/> into every linear layer of <paramref name="model"/> whose name ends in one of
    /// <see cref="LoraOptions.TargetModules"/> and freezes every base parameter (<c>requires_grad = false</c>); only the
    /// adapters (<c>…q_proj.lora_A.weight</c>, <c>…q_proj.lora_B.weight</c>) train. Deterministic for <paramref name="seed"/>.
    /// </summary>
    /// <returns>The adapted layers by module name.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the failures name each field.</exception>
    /// <exception cref="ArgumentException">The model already has adapters.</exception>
    public static IReadOnlyDictionary<string, LoraAdapter> Inject(CausalLM model, LoraOptions options, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        if (HasAdapters(model))
        {
            throw new ArgumentException("The model already has adapters; merge or remove them first.", nameof(model));
        }
        foreach (Parameter p in model.parameters())
        {
            p.requires_grad = false;
        }
        var targets = model.named_modules()
            .Where(m => m.module is Linear && options.TargetModules.Contains(m.name[(m.name.LastIndexOf('.') + 1)..]))
            .Select(m => (m.name, Layer: (Linear)m.module))
            .ToList();
        var generator = new Generator((ulong)seed, CPU);
        var adapters = new Dictionary<string, LoraAdapter>(StringComparer.Ordinal);
        foreach ((string name, Linear layer) in targets)
        {
            var adapter = new LoraAdapter(layer, options.Rank, options.Scale, options.Dropout, generator);
            layer.SetAdapter(adapter);
            adapters[name] = adapter;
        }
        return adapters;
    }

    /// <summary>Whether any linear layer of <paramref name="model"/> has an adapter.</summary>
    public static bool HasAdapters(CausalLM model) => Adapted(model).Any();

    /// <summary>The adapter parameters (the trainable ones after <see cref="Inject"/>), in module order.</summary>
    public static IReadOnlyList<Parameter> AdapterParameters(CausalLM model) =>
        Adapted(model).SelectMany(a => a.Adapter.Modules).SelectMany(m => m.Module.parameters()).ToList();

    /// <summary>
    /// Folds every adapter into its base weight (W += scale·B·A), detaches and disposes the adapters and makes every
    /// parameter trainable again: the model is a plain CausalLM whose <c>named_parameters()</c> are the HF names and
    /// whose logits equal the adapted model's (up to rounding). Returns the number of layers merged.
    /// </summary>
    public static int Merge(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Detach(model, merge: true);
    }

    /// <summary>Detaches and disposes every adapter without changing the base weights; every parameter becomes trainable again.</summary>
    public static int Remove(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Detach(model, merge: false);
    }

    private static int Detach(CausalLM model, bool merge)
    {
        var adapted = Adapted(model).ToList();
        using (no_grad())
        {
            foreach ((Linear layer, LoraAdapter adapter) in adapted)
            {
                if (merge)
                {
                    using Tensor delta = adapter.Delta();
                    layer.weight.PlusInPlace(delta);
                }
                layer.SetAdapter(null);
                adapter.lora_A.Dispose();
                adapter.lora_B.Dispose();
            }
        }
        foreach (Parameter p in model.parameters())
        {
            p.requires_grad = true;
        }
        return adapted.Count;
    }

    private static IEnumerable<(Linear Layer, LoraAdapter Adapter)> Adapted(CausalLM model) =>
        model.modules().OfType<Linear>().Where(l => l.Adapter is LoraAdapter).Select(l => (l, (LoraAdapter)l.Adapter!)).ToList();
}
