using Cipo.Internal;

namespace Cipo.Data;

/// <summary>The validator of <see cref="JsonlReadOptions"/>: its data annotations (positive limits).</summary>
internal sealed class JsonlReadOptionsValidator : OptionsValidator<JsonlReadOptions>
{
    /// <summary>The instance <see cref="JsonlReadOptions.Validated"/> runs.</summary>
    public static JsonlReadOptionsValidator Instance { get; } = new();
}
