namespace Cipo.Cli;

/// <summary>The exit codes of the <c>cipo</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>Success: the run reached the leakage threshold (converged).</summary>
    public const int Success = 0;

    /// <summary>The run finished at the round limit without reaching the leakage threshold; model and report are written.</summary>
    public const int NotConverged = 1;

    /// <summary>Bad input: arguments, JSONL, configuration, options, model folder, or an output folder holding another run.</summary>
    public const int BadInput = 2;

    /// <summary>Cancelled (Ctrl+C); rerunning the same command resumes.</summary>
    public const int Cancelled = 3;

    /// <summary>An unexpected error.</summary>
    public const int UnexpectedError = 4;
}
