using System.ComponentModel.DataAnnotations;

namespace Cipo.Samples.HostedWorker;

/// <summary>The worker's own settings, section <c>Worker</c> of appsettings.json (or <c>--Worker:Smoke=true</c> on the command line).</summary>
public sealed class WorkerOptions
{
    /// <summary>Round checkpoints: a stopped worker resumes from here when started again. Required.</summary>
    [Required(AllowEmptyStrings = false)]
    public string RunFolder { get; set; } = "hosted-run";

    /// <summary>Share of the embedded world's people to forget, in (0, 1].</summary>
    [Range(1e-9, 1.0)]
    public double ForgetFraction { get; set; } = 0.1;

    /// <summary>Use the tiny smoke model (trains in seconds; numbers mean nothing) instead of the embedded default.</summary>
    public bool Smoke { get; set; }
}
