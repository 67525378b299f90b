namespace Cipo.TorchSharp.Training;

/// <summary>The registry of preference losses by TRL <c>loss_type</c> name.</summary>
public static class PreferenceLosses
{
    private static readonly IReadOnlyDictionary<string, IPreferenceLoss> s_losses = new IPreferenceLoss[]
    {
        new SigmoidLoss(), new HingeLoss(), new IpoLoss(), new RobustLoss(), new NcaPairLoss(),
        new SppoHardLoss(), new ApoZeroLoss(), new SigmoidNormLoss(), new NpoLoss(), new SimNpoLoss(),
        new GradAscentLoss(), new SftLoss(),
    }.ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>Every registered name: sigmoid, hinge, ipo, robust, nca_pair, sppo_hard, apo_zero, sigmoid_norm, npo, simnpo, and the
    /// unlearning baselines' objectives grad_ascent and sft.</summary>
    public static IReadOnlyList<string> Names { get; } = s_losses.Keys.ToArray();

    /// <summary>The loss called <paramref name="name"/> (case-sensitive, as TRL).</summary>
    /// <exception cref="ArgumentException">No loss has that name; the message lists the valid names.</exception>
    public static IPreferenceLoss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_losses.TryGetValue(name, out IPreferenceLoss? loss)
            ? loss
            : throw new ArgumentException($"Unknown preference loss '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="name"/> is a registered loss.</summary>
    public static bool Contains(string name) => name is not null && s_losses.ContainsKey(name);
}
