using Cipo.Embedded.Experiments;
using Cipo.Evaluation.Reports;

namespace Cipo.Embedded.Demo;

/// <summary>What <see cref="DemoRunner"/> did.</summary>
/// <param name="Experiment">The world experiment (models, split, probes, base and retrained audits).</param>
/// <param name="Outcome">The unlearning run and the full audit after it.</param>
/// <param name="Report">The report document written to the output folder.</param>
/// <param name="Written">The files written.</param>
/// <param name="OutputFolder">The output folder (model/, report.json, report.md, charts/).</param>
/// <param name="Elapsed">Wall time of the whole demo.</param>
public sealed record DemoResult(WorldExperiment Experiment, MethodOutcome Outcome, UnlearningReportDocument Report, ReportWriteResult Written,
    string OutputFolder, TimeSpan Elapsed);
