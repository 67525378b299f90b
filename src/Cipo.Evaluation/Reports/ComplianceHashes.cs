namespace Cipo.Evaluation.Reports;

/// <summary>Fingerprints that tie a compliance summary to the exact models and data.</summary>
/// <param name="ModelBefore">Weights fingerprint of the model before unlearning, if known.</param>
/// <param name="ModelAfter">Weights fingerprint after unlearning, if known.</param>
/// <param name="ForgetData">SHA-256 of the forget targets (file or canonical, see <see cref="DataHash"/>), if known.</param>
/// <param name="RetainData">SHA-256 of the retain examples, if any.</param>
public sealed record ComplianceHashes(string? ModelBefore, string? ModelAfter, string? ForgetData, string? RetainData);
