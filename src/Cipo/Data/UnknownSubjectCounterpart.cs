namespace Cipo;

/// <summary>
/// Builds <see cref="PreferencePair.UnknownSubjectRejected"/>: the rejected trajectory with the target's subject swapped
/// for a stand-in the model knows nothing about, the input of likelihood calibration.
/// </summary>
public static class UnknownSubjectCounterpart
{
    /// <summary>
    /// The counterpart of <paramref name="rejected"/> for <paramref name="target"/>, or <see langword="null"/> when the
    /// target has no <see cref="ForgetTarget.Subject"/>, no <see cref="ForgetTarget.UnknownSubjects"/>, or the prompt does
    /// not name the subject (there is nothing to swap). The stand-in is chosen by a stable hash of the prompt (the same on
    /// every run and platform) so that one prompt always meets the same stranger; every occurrence of the subject (ordinal)
    /// is replaced.
    /// </summary>
    public static ReasoningTrajectory? Of(ForgetTarget target, string prompt, ReasoningTrajectory rejected)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(rejected);
        if (string.IsNullOrEmpty(target.Subject) || target.UnknownSubjects.Count == 0 || !prompt.Contains(target.Subject, StringComparison.Ordinal))
        {
            return null;
        }
        string standIn = target.UnknownSubjects[(int)(StableHash(prompt) % (uint)target.UnknownSubjects.Count)];
        string Swap(string text) => text.Replace(target.Subject, standIn, StringComparison.Ordinal);
        return new ReasoningTrajectory(Swap(prompt), Swap(rejected.ReasoningTrace), Swap(rejected.Answer));
    }

    /// <summary>FNV-1a over the UTF-16 code units: <see cref="string.GetHashCode()"/> is randomised per process.</summary>
    private static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }
}
