using System.Diagnostics;

namespace Cipo.Cli;

// Written by hand because the runtime takes its gen0 budget only from the environment (DOTNET_GCgen0size), never from
// runtimeconfig.json (measured: the configProperty is ignored), so the process has to start itself again to set it.
/// <summary>
/// Runs the tool with a large gen-0 garbage-collection budget. TorchSharp 0.107 frees the scalars it converts implicitly
/// (the <c>1</c> of every <c>a + b</c>) in their finalizers, and the finalizer thread can free one while another thread's
/// native call still uses it: with runs side by side this crashed two long runs here ("Unknown scalar type" in
/// libtorch). A 256 MiB budget makes collections about a hundred times rarer, and with them that window. Set
/// <c>DOTNET_GCgen0size</c> yourself (any value) to run without the restart.
/// </summary>
internal static class GcBudget
{
    /// <summary>The environment variable the runtime reads.</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>256 MiB, hexadecimal as the runtime expects.</summary>
    public const string Value = "0x10000000";

    /// <summary>
    /// When the budget is not set, runs this program again with it (same arguments, same console) and returns that
    /// run's exit code; when it is set, returns null and the caller runs here.
    /// </summary>
    public static int? RunAgainWithBudget(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.ProcessPath is not { } process)
        {
            return null;
        }
        var start = new ProcessStartInfo(process) { UseShellExecute = false };
        // Under the dotnet host the program is the entry assembly, the first argument; an apphost is the program itself.
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(GcBudget).Assembly.Location);
        }
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment[Variable] = Value;
        // Ctrl+C reaches both processes: the child cancels cleanly; this one only waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {process}.");
        child.WaitForExit();
        return child.ExitCode;
    }
}
