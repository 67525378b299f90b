using Microsoft.Extensions.Options;

namespace Cipo.Teacher;

/// <summary>Rules of <see cref="ChatClientGeneratorOptions"/> that data annotations cannot express.</summary>
internal sealed class ChatClientGeneratorOptionsValidator : IValidateOptions<ChatClientGeneratorOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatClientGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Strategy is not (CounterfactualStrategies.KnowledgeBoundary or CounterfactualStrategies.AlternativePath))
        {
            failures.Add($"ChatClientGeneratorOptions.Strategy must be '{CounterfactualStrategies.KnowledgeBoundary}' or "
                + $"'{CounterfactualStrategies.AlternativePath}' (was '{options.Strategy}').");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
