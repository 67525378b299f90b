namespace Cipo.Evaluation.Probing;

/// <summary>One labelled prompt of the hidden-state probe: a question and the answer class its subject has.</summary>
/// <param name="Task">The probe task (one linear probe per task and layer), e.g. <c>birthplace</c>.</param>
/// <param name="Prompt">The user prompt whose last-token hidden states are read.</param>
/// <param name="Label">The answer class (e.g. the birth city).</param>
public sealed record HiddenStateExample(string Task, string Prompt, string Label);

/// <summary>
/// The data of the hidden-state probe: per task, prompts about retained subjects to fit the probe on and prompts about
/// forgotten subjects to test it on. The probe is fitted on the audited model's own hidden states, so it asks whether
/// that model still represents the forgotten answers linearly (Belrose et al. 2023; Deeb &amp; Roger 2024), not whether
/// it says them.
/// </summary>
/// <param name="Train">Retained subjects' examples (fit).</param>
/// <param name="Test">Forgotten subjects' examples (accuracy).</param>
public sealed record HiddenStateProbeSet(IReadOnlyList<HiddenStateExample> Train, IReadOnlyList<HiddenStateExample> Test);
