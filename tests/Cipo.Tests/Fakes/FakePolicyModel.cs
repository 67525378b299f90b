using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cipo.Text;

namespace Cipo.Tests.Fakes;

/// <summary>A "model" that is a dictionary of weights; <c>leak</c> is the share of leaking samples.</summary>
internal sealed class FakePolicyModel : IPolicyModel
{
    public Dictionary<string, double> Weights { get; private set; } = new() { ["leak"] = 1.0, ["bias"] = 0.25 };

    public double Leak
    {
        get => Weights["leak"];
        set => Weights["leak"] = value;
    }

    public int LoadCalls { get; private set; }

    public IReasoningPromptFormat PromptFormat => PlainReasoningPromptFormat.Instance;

    public Task<IReadOnlyList<string>> CompleteAsync(IReadOnlyList<string> formattedPrompts, SamplingSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<(ReasoningTrajectory Trajectory, bool IsWellFormed)>> SampleAsync(IReadOnlyList<string> userPrompts, SamplingSettings settings,
        CancellationToken cancellationToken) => throw new NotSupportedException();

    public async Task SaveAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "weights.json"), JsonSerializer.Serialize(Weights), cancellationToken);
    }

    public async Task LoadAsync(string folder, CancellationToken cancellationToken)
    {
        LoadCalls++;
        string json = await File.ReadAllTextAsync(Path.Combine(folder, "weights.json"), cancellationToken);
        Weights = JsonSerializer.Deserialize<Dictionary<string, double>>(json)!;
    }

    public string ComputeWeightsHash() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";", Weights.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value:R}")))));
}
