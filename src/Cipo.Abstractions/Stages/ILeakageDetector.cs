namespace Cipo;

/// <summary>Finds a target's forbidden strings in a trajectory, trace and answer separately.</summary>
public interface ILeakageDetector
{
    /// <summary>Checks <paramref name="trajectory"/> against <paramref name="target"/>.</summary>
    LeakageCheck Check(ReasoningTrajectory trajectory, ForgetTarget target);

    /// <summary>Whether <paramref name="text"/> contains any forbidden string of <paramref name="target"/>.</summary>
    bool Contains(string text, ForgetTarget target);
}
