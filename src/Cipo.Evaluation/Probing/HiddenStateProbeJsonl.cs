using Cipo.Data;
using Cipo.Internal;

namespace Cipo.Evaluation.Probing;

/// <summary>
/// Reads the hidden-state probe's data for <c>cipo audit --probe-data</c>: one JSON object per line,
/// <c>{"task": "birthplace", "prompt": "Where was Ann Vell born ?", "label": "Dorvan", "split": "train"|"test"}</c>.
/// <c>train</c> lines are about subjects the model should still know (the probe is fitted on them), <c>test</c> lines
/// about forgotten subjects (the probe's accuracy on them is reported).
/// </summary>
public static class HiddenStateProbeJsonl
{
    /// <summary>The accepted values of field <c>split</c>.</summary>
    public static readonly IReadOnlyList<string> Splits = ["train", "test"];

    /// <summary>Most lines read: 100,000.</summary>
    public const int DefaultMaxRecords = 100_000;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="JsonlFormatException">
    /// A line is not valid JSON, a field is missing or empty, the split is unknown, or a test task has no train line;
    /// the message names the file, line and field.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is not a regular file or cannot be read.</exception>
    public static async Task<HiddenStateProbeSet> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var train = new List<HiddenStateExample>();
        var test = new List<(HiddenStateExample Example, JsonlLine Line)>();
        await foreach (JsonlLine line in JsonlFile.ReadAsync(path, null, DefaultMaxRecords, cancellationToken).ConfigureAwait(false))
        {
            var example = new HiddenStateExample(line.RequiredString("task"), line.RequiredString("prompt"), line.RequiredString("label"));
            switch (line.RequiredString("split"))
            {
                case "train": train.Add(example); break;
                case "test": test.Add((example, line)); break;
                default: throw line.Error("split", $"field 'split' must be one of {string.Join(", ", Splits)}");
            }
        }
        foreach ((HiddenStateExample example, JsonlLine line) in test)
        {
            if (!train.Any(e => e.Task == example.Task))
            {
                throw line.Error("task", $"task '{example.Task}' has test lines but no train line to fit the probe on");
            }
        }
        return new HiddenStateProbeSet(train, test.Select(t => t.Example).ToArray());
    }
}
