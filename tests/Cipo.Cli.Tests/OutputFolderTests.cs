using System.Text.Json;

namespace Cipo.Cli.Tests;

/// <summary>
/// cipo writes only into an output folder that is missing or empty, or that it created for the same command (marker
/// .cipo-output.json); never into, inside or above its input model; anything else exits 2, names the folder and the
/// reason, and leaves every file as it was.
/// </summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The user's folder: <c>x/model</c> (the tiny model) and <c>x/LICENSE</c>; inputs in <c>inputs/</c>. Returns the
    /// inputs and the folder <paramref name="layout"/> names as --out.
    /// </summary>
    private (UnlearnInputs Inputs, string Out) Layout(string layout)
    {
        string x = _temp.Combine("x");
        string model = UnlearnInputs.CopyModel(Path.Combine(x, "model"));
        File.WriteAllText(Path.Combine(x, "LICENSE"), "the user's licence\n");
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), model);
        string outDir = layout switch
        {
            "parent of --model" => x,
            "--model itself" => model,
            "inside --model" => Path.Combine(model, "out"),
            "ancestor of --model" => _temp.Path,
            "link to the parent of --model" => Directory.CreateSymbolicLink(_temp.Combine("link"), x).FullName,
            "inside a link to --model" => Path.Combine(Directory.CreateSymbolicLink(_temp.Combine("link"), model).FullName, "out"),
            _ => throw new ArgumentOutOfRangeException(nameof(layout)),
        };
        return (inputs, outDir);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("parent of --model", "holds the --model input")]
    [InlineData("--model itself", "is the --model folder")]
    [InlineData("inside --model", "is inside the --model folder")]
    [InlineData("ancestor of --model", "holds the --model input")]
    [InlineData("link to the parent of --model", "holds the --model input")]
    [InlineData("inside a link to --model", "is inside the --model folder")]
    public async Task Unlearn_OutOverlappingTheModel_Exits2_NamesFolderAndReason_ChangesNothing(string layout, string reason)
    {
        if (layout.Contains("link", StringComparison.Ordinal) && OperatingSystem.IsWindows())
        {
            return; // symbolic links need a privilege on Windows
        }
        (UnlearnInputs inputs, string outDir) = Layout(layout);

        // The model, the LICENSE beside it and every other file are left as they were.
        await Cli.RefusesAsync(_temp.Path, inputs.Args(outDir), $"--out '{Path.GetFullPath(outDir)}'", reason, "cipo never writes");
    }

    [Fact(Timeout = 120_000)]
    public async Task Unlearn_OwnFolderHoldingTheModel_Exits2()
    {
        // `--model out/model --out out`: unlearning the previous run's output again into the same folder would replace the input.
        string outDir = _temp.Combine("out");
        var first = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);
        (await Cli.RunAsync(first.Args(outDir))).ExitCode.Should().Be(ExitCodes.NotConverged);
        var again = new UnlearnInputs(_temp.Combine("inputs2"), Path.Combine(outDir, "model"));

        await Cli.RefusesAsync(outDir, again.Args(outDir), $"--out '{outDir}' holds the --model input");
    }

    [Fact(Timeout = 120_000)]
    public async Task Unlearn_OutHoldingTheUsersModelFolderAndReport_Exits2_ChangesNothing()
    {
        string outDir = _temp.Combine("out");
        Directory.CreateDirectory(Path.Combine(outDir, "model"));
        File.WriteAllText(Path.Combine(outDir, "model", "config.json"), "{\"the user's\": true}");
        File.WriteAllText(Path.Combine(outDir, "model", "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(outDir, "run-report.json"), "{\"written by\": \"the user\"}");
        // Temporary-looking names in a folder that is not cipo's are not cipo's either.
        File.WriteAllText(Path.Combine(outDir, $".run-report.json.{Guid.NewGuid():N}.tmp"), "mine too");
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);

        await Cli.RefusesAsync(outDir, inputs.Args(outDir), $"--out '{outDir}' is not empty and was not created by cipo");
    }

    /// <summary>
    /// A forget, retain or config file kept in the run's own folder, where a rerun replaces <c>model/</c>: refused before
    /// anything is replaced (without the check, the resumed run would save model/ over it).
    /// </summary>
    [Theory(Timeout = 120_000)]
    [InlineData("--forget")]
    [InlineData("--retain")]
    [InlineData("--config")]
    public async Task Unlearn_InputInsideItsOwnOut_Exits2_ChangesNothing(string option)
    {
        string outDir = _temp.Combine("out");
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);
        (await Cli.RunAsync(inputs.Args(outDir))).ExitCode.Should().Be(ExitCodes.NotConverged);
        string[] args = inputs.Args(outDir);
        int at = Array.IndexOf(args, option) + 1;
        string moved = Path.Combine(outDir, "model", "my-" + Path.GetFileName(args[at]));
        File.Copy(args[at], moved);
        args[at] = moved;

        await Cli.RefusesAsync(_temp.Path, args, $"--out '{outDir}' holds the {option} input '{moved}'", "cipo never writes");
    }

    /// <summary>
    /// A model folder whose weights are a symbolic link into the output (as a Hugging Face cache snapshot links its files
    /// to blobs): the link is resolved, so --restart does not delete the model it would read.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task Unlearn_ModelFileLinkedIntoOut_Exits2_ChangesNothing()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need a privilege on Windows
        }
        string outDir = _temp.Combine("out");
        (await Cli.RunAsync(new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder).Args(outDir))).ExitCode.Should().Be(ExitCodes.NotConverged);
        string linked = UnlearnInputs.CopyModel(_temp.Combine("linked"));
        string weights = Path.Combine(linked, "model.safetensors");
        File.Delete(weights);
        File.CreateSymbolicLink(weights, Path.Combine(outDir, "model", "model.safetensors"));
        var inputs = new UnlearnInputs(_temp.Combine("inputs2"), linked);

        await Cli.RefusesAsync(outDir, inputs.Args(outDir, "--restart"),
            $"--out '{outDir}' holds the --model input '{weights}' (-> '{Path.Combine(outDir, "model", "model.safetensors")}')");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("""{"tool": "cipo", "command": "audit"}""", "was created by 'cipo audit', not 'cipo unlearn'")]
    [InlineData("""{"tool": "something-else", "command": "unlearn"}""", "is not a cipo marker")]
    [InlineData("not json", "is not a cipo marker")]
    public async Task Unlearn_OutMarkedByAnotherCommandOrTool_Exits2_ChangesNothing(string marker, string reason)
    {
        string outDir = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        File.WriteAllText(Path.Combine(outDir, OutputFolder.MarkerFileName), marker);
        File.WriteAllText(Path.Combine(outDir, "audit.json"), "{}");
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);

        await Cli.RefusesAsync(outDir, inputs.Args(outDir), $"--out '{outDir}'", reason);
    }

    [Fact(Timeout = 120_000)]
    public async Task Unlearn_EmptyExistingFolder_IsClaimedAndMarked_AndRerunResumes()
    {
        string outDir = Directory.CreateDirectory(_temp.Combine("out")).FullName;
        var inputs = new UnlearnInputs(_temp.Combine("inputs"), TinyModel.Folder);

        var (code, _, stderr) = await Cli.RunAsync(inputs.Args(outDir));

        code.Should().Be(ExitCodes.NotConverged, stderr);
        using (JsonDocument marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, OutputFolder.MarkerFileName))))
        {
            marker.RootElement.GetProperty("tool").GetString().Should().Be("cipo");
            marker.RootElement.GetProperty("command").GetString().Should().Be("unlearn");
        }
        var (again, _, stderr2) = await Cli.RunAsync(inputs.Args(outDir));
        again.Should().Be(ExitCodes.NotConverged, stderr2);
        stderr2.Should().Contain("Resuming");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("model", "is the --model folder")]
    [InlineData("model/audit", "is inside the --model folder")]
    [InlineData(".", "holds the --model input")]
    [InlineData("users", "is not empty and was not created by cipo")]
    [InlineData("unlearn-out", "was created by 'cipo unlearn', not 'cipo audit'")]
    public async Task Audit_OutNotItsToWrite_Exits2_ChangesNothing(string outName, string reason)
    {
        string model = UnlearnInputs.CopyModel(_temp.Combine("model"));
        string probes = _temp.File("probes.jsonl", """{"id": "f1", "prompt": "Where was Ada Quill born ?", "kind": "forget", "forbidden": ["Milbrook"]}""" + "\n");
        Directory.CreateDirectory(_temp.Combine("users"));
        File.WriteAllText(_temp.Combine("users/audit.json"), "the user's");
        Directory.CreateDirectory(_temp.Combine("unlearn-out"));
        OutputFolder.WriteMarker(_temp.Combine("unlearn-out"), "unlearn");
        string outDir = Path.GetFullPath(_temp.Combine(outName));

        await Cli.RefusesAsync(_temp.Path, ["audit", "--model", model, "--probes", probes, "--out", outDir, "--k", "1", "--max-new-tokens", "8"],
            $"--out '{outDir}'", reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task Audit_OutHoldingTheProbeFile_Exits2()
    {
        string probes = _temp.File("probes.jsonl", """{"id": "f1", "prompt": "Where was Ada Quill born ?", "kind": "forget", "forbidden": ["Milbrook"]}""" + "\n");

        var (code, _, stderr) = await Cli.RunAsync("audit", "--model", TinyModel.Folder, "--probes", probes, "--out", _temp.Path);

        code.Should().Be(ExitCodes.BadInput, stderr);
        stderr.Should().Contain($"--out '{_temp.Path}' holds the --probes input");
    }

    /// <summary>
    /// demo and bench: a folder of the user's, or another command's, is refused before anything runs; demo's
    /// --no-cache does not delete a .model-cache it did not create. (Without the rule each would run a demo or a
    /// benchmark here: the timeout fails them.)
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData("demo", "users", "is not empty and was not created by cipo")]
    [InlineData("demo", "bench-out", "was created by 'cipo bench', not 'cipo demo'")]
    [InlineData("bench", "users", "is not empty and was not created by cipo")]
    [InlineData("bench", "demo-out", "was created by 'cipo demo', not 'cipo bench'")]
    public async Task DemoAndBench_OutNotTheirsToWrite_Exit2_ChangeNothing(string command, string outName, string reason)
    {
        Directory.CreateDirectory(_temp.Combine("users/.model-cache"));
        File.WriteAllText(_temp.Combine("users/.model-cache/keep.txt"), "the user's");
        File.WriteAllText(_temp.Combine("users/results.md"), "the user's");
        foreach (string other in new[] { "bench", "demo" })
        {
            Directory.CreateDirectory(_temp.Combine($"{other}-out"));
            OutputFolder.WriteMarker(_temp.Combine($"{other}-out"), other);
            File.WriteAllText(_temp.Combine($"{other}-out/results.md"), "theirs");
        }
        string outDir = _temp.Combine(outName);
        string[] args = command == "demo"
            ? ["demo", "--out", outDir, "--smoke", "--no-cache"]
            : ["bench", "--out", outDir, "--quick", "--methods", "ga", "--cache", _temp.Combine("cache")];

        await Cli.RefusesAsync(_temp.Path, args, $"--out '{outDir}'", reason);
    }

    [Fact]
    public void CommittedBenchFolders_AreMarkedAsBenchFolders()
    {
        // `cipo bench --out docs/results/full` and `cipo report --render docs/results/full` work on a fresh clone.
        string results = Path.Combine(GeneratedTablesTests.RepositoryRoot(), "docs", "results");
        foreach (string folder in new[] { "full", "quick" })
        {
            using OutputFolder output = OutputFolder.Inspect(Path.Combine(results, folder), "--out", "bench", []);
            output.State.Should().Be(OutputFolder.FolderState.Ours, folder);
        }
    }
}
