using System.Diagnostics;

namespace Cipo.Cli.Tests;

/// <summary>
/// <c>cipo</c> as a real child process (the test output's <c>Cipo.Cli.dll</c> under the dotnet host), for tests that must
/// kill it: stdout is drained, each stderr line goes to <c>onStderrLine</c>.
/// </summary>
internal static class CipoChildProcess
{
    public static Process Start(IEnumerable<string> args, Action<string> onStderrLine)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cipo.Cli.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStderrLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
