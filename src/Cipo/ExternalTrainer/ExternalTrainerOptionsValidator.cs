using Cipo.Internal;

namespace Cipo.ExternalTrainer;

/// <summary>The validator of <see cref="ExternalTrainerOptions"/>: its data annotations.</summary>
internal sealed class ExternalTrainerOptionsValidator : OptionsValidator<ExternalTrainerOptions>
{
    /// <summary>The instance <see cref="ExternalTrainerOptions.Validated"/> runs.</summary>
    public static ExternalTrainerOptionsValidator Instance { get; } = new();
}
