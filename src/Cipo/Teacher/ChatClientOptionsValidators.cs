using Cipo.Internal;

namespace Cipo.Teacher;

/// <summary>The validator of <see cref="ChatClientGeneratorOptions"/>: data annotations and the strategy name.</summary>
internal sealed class ChatClientGeneratorOptionsValidator : OptionsValidator<ChatClientGeneratorOptions>
{
    /// <summary>The instance <see cref="ChatClientGeneratorOptions.Validated"/> runs.</summary>
    public static ChatClientGeneratorOptionsValidator Instance { get; } = new();

    protected override IEnumerable<string> Rules(ChatClientGeneratorOptions options)
    {
        if (options.Strategy is not (CounterfactualStrategies.KnowledgeBoundary or CounterfactualStrategies.AlternativePath))
        {
            yield return $"ChatClientGeneratorOptions.Strategy must be '{CounterfactualStrategies.KnowledgeBoundary}' or "
                + $"'{CounterfactualStrategies.AlternativePath}' (was '{options.Strategy}').";
        }
    }
}

/// <summary>The validator of <see cref="ChatClientJudgeOptions"/>: its data annotations.</summary>
internal sealed class ChatClientJudgeOptionsValidator : OptionsValidator<ChatClientJudgeOptions>
{
    /// <summary>The instance <see cref="ChatClientJudgeOptions.Validated"/> runs.</summary>
    public static ChatClientJudgeOptionsValidator Instance { get; } = new();
}
