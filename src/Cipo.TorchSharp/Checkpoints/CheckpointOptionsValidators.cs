using Cipo.Internal;

namespace Cipo.TorchSharp.Checkpoints;

/// <summary>The validator of <see cref="ModelLoadOptions"/>: data annotations and a floating-point compute dtype.</summary>
internal sealed class ModelLoadOptionsValidator : OptionsValidator<ModelLoadOptions>
{
    /// <summary>The instance <see cref="ModelLoadOptions.Validated"/> runs.</summary>
    public static ModelLoadOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(ModelLoadOptions options)
    {
        if (!SafeTensorsDType.IsFloatingPoint(options.DType))
        {
            yield return $"ModelLoadOptions.DType must be a floating-point dtype (Float32, Float16, BFloat16, Float64), was {options.DType}.";
        }
    }
}

/// <summary>The validator of <see cref="ModelSaveOptions"/>: data annotations and a floating-point safetensors dtype to store as.</summary>
internal sealed class ModelSaveOptionsValidator : OptionsValidator<ModelSaveOptions>
{
    /// <summary>The instance <see cref="ModelSaveOptions.Validated"/> runs.</summary>
    public static ModelSaveOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(ModelSaveOptions options)
    {
        if (options.StoreAs is { } storeAs && (!SafeTensorsDType.TryGetName(storeAs, out _) || !SafeTensorsDType.IsFloatingPoint(storeAs)))
        {
            yield return $"ModelSaveOptions.StoreAs must be a floating-point safetensors dtype (BF16, F16, F32, F64), was {storeAs}.";
        }
    }
}
