using System.Diagnostics;
using System.Text;

namespace Cipo.Cli.Tests;

/// <summary>
/// One run at a time per output folder: a run holds the folder's lock (.cipo-lock) for its lifetime; a second run on
/// the folder exits 2 at once naming it; the lock of a killed process is gone with the process.
/// </summary>
public sealed class OutputLockTests : IDisposable
{
    /// <summary>Fifty rounds that change nothing: a run that lasts until it is cancelled or killed.</summary>
    private static readonly string LongConfig = UnlearnInputs.OneStepConfig.Replace("\"MaxRounds\": 1", "\"MaxRounds\": 50", StringComparison.Ordinal);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact(Timeout = 180_000)]
    public async Task SecondRunOnTheSameOut_Exits2AtOnce_NamingTheFolder_WhileTheFirstRuns()
    {
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder, LongConfig);
        string outDir = _temp.Combine("out");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var roundStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var firstErr = new TriggerWriter("round 1/50", () => roundStarted.TrySetResult());
        Task<int> first = Task.Run(() => CipoCli.RunAsync(inputs.Args(outDir), TextWriter.Null, firstErr, cts.Token));
        await roundStarted.Task.WaitAsync(cts.Token);

        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = await Cli.RunAsync(inputs.Args(outDir));
        clock.Stop();

        code.Should().Be(ExitCodes.BadInput, stderr);
        stderr.Should().Contain($"--out '{outDir}' is in use: another cipo run holds its lock");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the second run stops before it loads anything");
        first.IsCompleted.Should().BeFalse("the first run goes on");

        // --restart does not take a folder in use either.
        (await Cli.RunAsync(inputs.Args(outDir, "--restart"))).ExitCode.Should().Be(ExitCodes.BadInput);
        await cts.CancelAsync();
        (await first).Should().Be(ExitCodes.Cancelled, firstErr.ToString());
    }

    [Fact(Timeout = 120_000)]
    public async Task LockHeldThenReleased_RefusesThenRuns_AndAStaleLockFileBlocksNothing()
    {
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);
        string outDir = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        string lockPath = Path.Combine(outDir, OutputFolder.LockFileName);

        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (held, _, stderr) = await Cli.RunAsync(inputs.Args(outDir));
            held.Should().Be(ExitCodes.BadInput, stderr);
            stderr.Should().Contain($"--out '{outDir}' is in use").And.Contain(lockPath);
            Directory.EnumerateFileSystemEntries(outDir).Should().Equal([lockPath], "exit 2 writes nothing");
        }

        // The handle is closed (as the kernel closes a killed process's handles): the lock file stays, and blocks nothing.
        File.Exists(lockPath).Should().BeTrue();
        var (code, _, stderr2) = await Cli.RunAsync(inputs.Args(outDir));
        code.Should().Be(ExitCodes.NotConverged, stderr2);
    }

    /// <summary>
    /// Every command that writes a folder takes its lock: with the lock held elsewhere each exits 2 naming the folder and
    /// writes nothing. (Without the lock each would run, and audit, demo and report would write here.)
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData("audit")]
    [InlineData("demo")]
    [InlineData("bench")]
    [InlineData("report")]
    public async Task OtherCommands_OnAFolderInUse_Exit2_WriteNothing(string command)
    {
        string outDir = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        if (command == "report")
        {
            string committed = Path.Combine(GeneratedTablesTests.RepositoryRoot(), "docs", "results", "quick");
            foreach (string file in Directory.EnumerateFiles(committed, "*", new EnumerationOptions { AttributesToSkip = 0 })
                .Where(f => Path.GetFileName(f) != OutputFolder.LockFileName))
            {
                File.Copy(file, Path.Combine(outDir, Path.GetFileName(file)));
            }
        }
        string lockPath = Path.Combine(outDir, OutputFolder.LockFileName);
        string probes = _temp.File("probes.jsonl", """{"id": "f1", "prompt": "Where was Ada Quill born ?", "kind": "forget", "forbidden": ["Milbrook"]}""" + "\n");
        string[] args = command switch
        {
            "audit" => ["audit", "--model", TinyModel.Folder, "--probes", probes, "--out", outDir, "--k", "1", "--max-new-tokens", "8"],
            "demo" => ["demo", "--out", outDir, "--smoke", "--cache", _temp.Combine("cache")],
            "bench" => ["bench", "--out", outDir, "--quick", "--methods", "ga", "--cache", _temp.Combine("cache")],
            _ => ["report", "--render", outDir],
        };
        var before = UnlearnInputs.Snapshot(outDir);

        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, _, stderr) = await Cli.RunAsync(args);

            code.Should().Be(ExitCodes.BadInput, stderr);
            stderr.Should().Contain($"'{outDir}' is in use: another cipo run holds its lock ({lockPath})");
        }
        UnlearnInputs.Snapshot(outDir).Where(e => e.Key != OutputFolder.LockFileName).Should().Equal(before);
    }

    [Fact(Timeout = 240_000)]
    public async Task LockOfAKilledCipoProcess_DoesNotBlock_TheRerunResumes()
    {
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder, LongConfig);
        string outDir = _temp.Combine("out");
        string lockPath = Path.Combine(outDir, OutputFolder.LockFileName);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        // A real cipo process, killed (SIGKILL on Unix) while it holds the lock.
        var childErr = new StringBuilder();
        // The child takes the lock before its first round: its progress line of round 1 says it holds it.
        var roundStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Process child = CipoChildProcess.Start(inputs.Args(outDir), line =>
        {
            lock (childErr)
            {
                childErr.AppendLine(line);
            }
            if (line.Contains("round 1/50", StringComparison.Ordinal))
            {
                roundStarted.TrySetResult();
            }
        }))
        {
            try
            {
                Task exited = child.WaitForExitAsync(timeout.Token);
                (await Task.WhenAny(roundStarted.Task, exited)).Should().Be(roundStarted.Task, $"the child runs until killed; its stderr: {childErr}");
                var (held, _, stderr) = await Cli.RunAsync(inputs.Args(outDir));
                held.Should().Be(ExitCodes.BadInput, "another process holds the lock");
                stderr.Should().Contain("another cipo run holds its lock");
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(timeout.Token);
            }
        }

        File.Exists(lockPath).Should().BeTrue("a killed process leaves its lock file behind");
        var (code, _, stderr2) = await Cli.RunAsync(inputs.Args(outDir, "--max-rounds", "1"));
        code.Should().Be(ExitCodes.NotConverged, stderr2);
    }
}
