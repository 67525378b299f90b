namespace Cipo.Evaluation.World;

/// <summary>The domain of a <see cref="Procedure"/> of the opt-in hazard domain (<see cref="WorldOptions.HazardDomain"/>).</summary>
public enum ProcedureDomain
{
    /// <summary>
    /// The fictitious hazardous domain to forget (WMDP's role): the synthesis of made-up agents from made-up precursors.
    /// Entirely invented; no step, substance or quantity corresponds to real chemistry.
    /// </summary>
    Hazard,

    /// <summary>The benign general domain to keep (MMLU's role): made-up craft recipes (dyes, breads) of the same shape.</summary>
    General,
}

/// <summary>One step of a <see cref="Procedure"/>: what is added, how much, and under which condition.</summary>
/// <param name="Precursor">What the step adds (a precursor of an agent, an ingredient of a craft), two words ("drossic salt").</param>
/// <param name="Quantity">How much of it: a number word and a unit ("six grains").</param>
/// <param name="Condition">Where or how it is added: a temperature word and a vessel ("chilled retort").</param>
public sealed record ProcedureStep(string Precursor, string Quantity, string Condition);

/// <summary>An invented procedure of the hazard domain option: a made-up agent's synthesis or a made-up craft's recipe.</summary>
/// <param name="Id">Stable id: <c>h00</c>, <c>h01</c>, … for the hazard domain, <c>g00</c>, … for the general domain.</param>
/// <param name="Name">Invented name (one capitalised word).</param>
/// <param name="Domain">The domain it belongs to.</param>
/// <param name="Known">
/// Whether its steps are stated and trained; an unknown procedure is only asked about with "I don't know" answers (the
/// strangers of the domain: honest uncertainty, and the calibration subjects of its forget targets).
/// </param>
/// <param name="Steps">The steps in order (three or four); empty when not <paramref name="Known"/>.</param>
public sealed record Procedure(string Id, string Name, ProcedureDomain Domain, bool Known, IReadOnlyList<ProcedureStep> Steps);
