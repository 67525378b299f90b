using Cipo.Internal;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Modeling;

namespace Cipo.Cli.Tests;

/// <summary>
/// A killed run leaves temporaries of its atomic writes; the next run on the folder removes those of the tool's own
/// writers, only in its own marked folder, only holding its lock, and nothing else.
/// </summary>
public sealed class StaleTemporaryTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Guid32() => Guid.NewGuid().ToString("N");

    [Fact(Timeout = 180_000)]
    public async Task Rerun_RemovesTheToolsStaleTemporaries_AndNothingElse()
    {
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);
        string outDir = _temp.Combine("out");
        (await Cli.RunAsync(inputs.Args(outDir))).ExitCode.Should().Be(ExitCodes.NotConverged);

        // What a kill at each kind of write leaves (names as the writers make them), and files of the same look that are not theirs.
        string run = Path.Combine(outDir, ".cipo-run");
        string[] stale =
        [
            Path.Combine(run, "round-0001", "model.tmp-0123abcd", $"model.safetensors.tmp-{Guid32()}"), // HfCheckpoint staging, an earlier SafeTensorsFile temp
            Path.Combine(run, "round-0002", "model.tmp-89abcdef", "config.json"),
            Path.Combine(run, $".state.json.{Guid32()}.tmp"), // AtomicFile
            Path.Combine(run, "round-0002", $".metrics.json.{Guid32()}.tmp"),
            Path.Combine(outDir, "model.old-a1b2c3d4", "model.safetensors"), // HfCheckpoint's replaced folder
            Path.Combine(outDir, $".run-report.json.{Guid32()}.tmp"),
        ];
        string nested = Path.Combine(outDir, "audit-of-the-output");
        string[] kept =
        [
            Path.Combine(outDir, "notes.tmp"),
            Path.Combine(outDir, "model.tmp-notes", "keep.txt"),
            Path.Combine(run, "round-0001", "my.tmp-file"),
            Path.Combine(nested, $".audit.json.{Guid32()}.tmp"), // another command's folder, with its own lock: not this run's
        ];
        foreach (string file in stale.Concat(kept))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, "partial");
        }
        OutputFolder.WriteMarker(nested, "audit");

        var (code, _, stderr) = await Cli.RunAsync(inputs.Args(outDir));

        code.Should().Be(ExitCodes.NotConverged, stderr);
        stderr.Should().Contain("Resuming").And.Contain($"Removed 6 temporary file(s) or folder(s) an interrupted run left in {outDir}");
        stale.Should().AllSatisfy(f => File.Exists(f).Should().BeFalse(f));
        Directory.Exists(Path.Combine(run, "round-0001", "model.tmp-0123abcd")).Should().BeFalse();
        Directory.Exists(Path.Combine(outDir, "model.old-a1b2c3d4")).Should().BeFalse();
        kept.Should().AllSatisfy(f => File.Exists(f).Should().BeTrue(f));
        File.Exists(Path.Combine(outDir, "model", "model.safetensors")).Should().BeTrue();
    }

    [Fact(Timeout = 60_000)]
    public async Task TheWritersTemporaryNames_AreRecognised()
    {
        // AtomicFile: the temporary it writes, seen from inside the write.
        string? atomicTemp = null;
        await AtomicFile.WriteAsync(_temp.Combine("state.json"), stream =>
        {
            atomicTemp = ((FileStream)stream).Name;
            return Task.CompletedTask;
        }, CancellationToken.None);
        // HfCheckpoint.Save: the staging folder, seen from its extra-files hook.
        string? staging = null;
        using (CausalLM model = HfCheckpoint.Load(TinyModel.Folder))
        {
            HfCheckpoint.Save(model, _temp.Combine("model"), new ModelSaveOptions { WriteExtraFiles = folder => staging = folder });
        }

        OutputFolder.IsStaleTemporary(Path.GetFileName(atomicTemp!)).Should().BeTrue(atomicTemp);
        OutputFolder.IsStaleTemporary(Path.GetFileName(staging!)).Should().BeTrue(staging);
        OutputFolder.IsStaleTemporary($"model.safetensors.tmp-{Guid32()}").Should().BeTrue("an earlier SafeTensorsFile.Save's temporary");
        OutputFolder.IsStaleTemporary($"model.old-{Guid32()[..8]}").Should().BeTrue("HfCheckpoint's replaced folder");
        foreach (string name in new[] { "model", "notes.tmp", ".state.json.tmp", "model.tmp-notes", "x.old-123", "run-report.json", OutputFolder.MarkerFileName, OutputFolder.LockFileName })
        {
            OutputFolder.IsStaleTemporary(name).Should().BeFalse(name);
        }
    }
}
