using System.Text.Json;
using Cipo.Embedded.Bench;
using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Reports;

namespace Cipo.Cli.Tests;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public ReportCommandTests()
    {
        BenchmarkResult[] results =
        [
            Run(BenchmarkRunner.BaseRow, 1, 0.9), Run(BenchmarkRunner.RetrainedRow, 1, 0.05), Run("cipo", 1, 0.1),
            Run(BenchmarkRunner.BaseRow, 2, 0.8), Run(BenchmarkRunner.RetrainedRow, 2, 0.05), Run("cipo", 2, 0.3),
        ];
        var metadata = new BenchmarkMetadata { CommandLine = "cipo bench --worlds 1,2 --methods cipo", CreatedUtc = DateTimeOffset.UnixEpoch, ToolVersion = "test" };
        Directory.CreateDirectory(_temp.Combine("bench"));
        OutputFolder.WriteMarker(_temp.Combine("bench"), "bench");
        File.WriteAllText(_temp.Combine("bench/results.json"),
            JsonSerializer.Serialize(new BenchmarkReportDocument(metadata, results, BenchmarkMethodSummary.From(results)), ReportJson.Options));
    }

    public void Dispose() => _temp.Dispose();

    private static BenchmarkResult Run(string method, int world, double greedy) => new(method, world, new Dictionary<string, double>
    {
        [AuditMetricNames.GreedyTraceLeak(AuditMetricNames.All)] = greedy,
        [AuditMetricNames.GreedyAnswerLeak(AuditMetricNames.All)] = 0,
        [AuditMetricNames.ForgetUtilityScore] = 1 - greedy,
    }, 1.0);

    private static string Region(string table, string body = "stale\n") =>
        $"<!-- cipo:generated results=\"bench/results.json\" table=\"{table}\" -->\n{body}<!-- cipo:generated:end -->\n";

    private string Stale(string name) => _temp.File(name, "# Results\n\n" + Region("headline") + "\nMore text.\n");

    [Fact]
    public async Task Help_DescribesTheMarkersAndExitCodes_AndMainHelpListsReport()
    {
        var (code, stdout, _) = await Cli.RunAsync("report", "--help");

        code.Should().Be(0);
        foreach (string text in new[] { "--update", "--check", "<!-- cipo:generated results=", "<!-- cipo:generated:end -->", "headline", "full", "worlds", "runs", "Exit codes" })
        {
            stdout.Should().Contain(text);
        }
        (await Cli.RunAsync("--help")).Stdout.Should().Contain("report     Rewrite (--update) or check (--check)");
        (await Cli.RunAsync("help", "report")).Stdout.Should().Contain("cipo report --check FILE");
    }

    [Fact]
    public async Task Update_RewritesOnlyTheNamedFilesThatChanged_Atomically()
    {
        string readme = Stale("README.md");
        string other = Stale("other.md");
        string current = _temp.File("current.md", "no regions here\n");

        var (code, stdout, _) = await Cli.RunAsync("report", "--update", readme, current);

        code.Should().Be(0);
        stdout.Should().Contain($"updated: {readme}").And.Contain($"up to date: {current}");
        string text = File.ReadAllText(readme);
        text.Should().Be(BenchmarkTables.UpdateRegions(readme)).And.NotContain("stale").And.Contain("| `cipo` | 1, 2 |").And.EndWith("\nMore text.\n");
        File.ReadAllText(other).Should().Contain("stale", "only the files named are written");
        Directory.EnumerateFiles(_temp.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["README.md", "other.md", "current.md"], "no temporary file remains");

        var again = await Cli.RunAsync("report", "--update", readme);
        again.ExitCode.Should().Be(0);
        again.Stdout.Should().Contain($"up to date: {readme}");
        File.ReadAllText(readme).Should().Be(text);
    }

    [Fact]
    public async Task Check_Exits1AndNamesEveryOutOfDateFile_WritingNothing()
    {
        string first = Stale("first.md");
        string second = Stale("second.md");
        string before = File.ReadAllText(first);

        var (code, stdout, stderr) = await Cli.RunAsync("report", "--check", first, second);

        code.Should().Be(ReportCommand.OutOfDate);
        stdout.Should().Contain($"out of date: {first}").And.Contain($"out of date: {second}");
        stderr.Should().Contain("2 file(s) out of date").And.Contain(first).And.Contain(second).And.Contain("cipo report --update");
        File.ReadAllText(first).Should().Be(before);

        (await Cli.RunAsync("report", "--update", first, second)).ExitCode.Should().Be(0);
        var after = await Cli.RunAsync("report", "--check", first, second);
        after.ExitCode.Should().Be(0);
        after.Stdout.Should().Contain($"up to date: {first}").And.Contain($"up to date: {second}");
    }

    [Theory]
    [InlineData("report", "give --update (rewrite the files), --check (exit 1 when a file is out of date) or --render")]
    [InlineData("report --update", "--update needs at least one Markdown file")]
    [InlineData("report --update --check README.md", "give one of --update, --check and --render")]
    [InlineData("report --render", "--render needs at least one report folder")]
    [InlineData("report --check --check README.md", "option '--check' is given more than once")]
    [InlineData("report --check --bogus README.md", "unknown option '--bogus'")]
    [InlineData("report --check missing.md", "'missing.md' not found")]
    public async Task BadArguments_Exit2(string commandLine, string expected)
    {
        Stale("README.md");
        string[] args = commandLine.Split(' ').Select(a => a.EndsWith(".md", StringComparison.Ordinal) ? _temp.Combine(a) : a).ToArray();

        var (code, _, stderr) = await Cli.RunAsync(args);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain(expected.Replace("'missing.md'", $"'{_temp.Combine("missing.md")}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<!-- cipo:generated results=\"bench/results.json\" table=\"best\" -->\n<!-- cipo:generated:end -->\n", "line 1: unknown table 'best'")]
    [InlineData("# T\n<!-- cipo:generated results=\"nope/results.json\" table=\"headline\" -->\n<!-- cipo:generated:end -->\n", "line 2: results file 'nope/results.json' not found")]
    [InlineData("# T\n\n<!-- cipo:generated results=\"bench/results.json\" table=\"headline\" -->\n| old |\n", "line 3: region is not terminated")]
    public async Task BadRegions_Exit2_NameFileAndLine_AndWriteNoFile(string text, string expected)
    {
        string good = Stale("good.md");
        string bad = _temp.File("bad.md", text);

        var (code, _, stderr) = await Cli.RunAsync("report", "--update", good, bad);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain($"{bad} {expected}");
        File.ReadAllText(good).Should().Contain("stale", "every file is rendered before any is written");
        File.ReadAllText(bad).Should().Be(text);
    }

    [Fact]
    public async Task Render_RedrawsMarkdownAndCharts_FromResultsJson_LeavingItUntouched()
    {
        string folder = _temp.Combine("bench");
        byte[] json = File.ReadAllBytes(Path.Combine(folder, "results.json"));
        File.WriteAllText(Path.Combine(folder, "results.md"), "stale\n");

        var (code, stdout, _) = await Cli.RunAsync("report", "--render", folder);

        code.Should().Be(0);
        stdout.Should().Contain($"rendered: {folder}");
        File.ReadAllBytes(Path.Combine(folder, "results.json")).Should().Equal(json, "results.json is the evidence; rendering only reads it");
        string markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
        markdown.Should().NotContain("stale").And.Contain("`cipo`").And.Contain("cipo bench --worlds 1,2 --methods cipo");
        Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty("every file is written atomically");
    }

    [Theory(Timeout = 60_000)]
    [InlineData(null, "is not empty and was not created by cipo")]
    [InlineData("demo", "was created by 'cipo demo', not 'cipo bench'")]
    public async Task Render_FolderNotMadeByBench_Exits2_AndRewritesNothing(string? marker, string reason)
    {
        // A results.json of the user's beside their own results.md and charts: not cipo's to redraw.
        string folder = Directory.CreateDirectory(_temp.Combine("users")).FullName;
        File.Copy(_temp.Combine("bench/results.json"), Path.Combine(folder, "results.json"));
        File.WriteAllText(Path.Combine(folder, "results.md"), "the user's\n");
        Directory.CreateDirectory(Path.Combine(folder, "charts"));
        File.WriteAllText(Path.Combine(folder, "charts", "leakage.png"), "the user's");
        if (marker is not null)
        {
            OutputFolder.WriteMarker(folder, marker);
        }
        string good = _temp.Combine("bench");

        await Cli.RefusesAsync(folder, ["report", "--render", good, folder], $"--render '{folder}'", reason);
        File.Exists(Path.Combine(good, "results.md")).Should().BeFalse("every folder is checked before any is written");
    }

    [Fact(Timeout = 60_000)]
    public async Task Render_ACopyOfACommittedResultsFolder_Works()
    {
        string committed = Path.Combine(GeneratedTablesTests.RepositoryRoot(), "docs", "results", "quick");
        string copy = Directory.CreateDirectory(_temp.Combine("quick")).FullName;
        foreach (string file in Directory.EnumerateFiles(committed, "*", new EnumerationOptions { AttributesToSkip = 0 }).Where(f => Path.GetFileName(f) != OutputFolder.LockFileName))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var (code, stdout, stderr) = await Cli.RunAsync("report", "--render", copy);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"rendered: {copy}");
    }

    [Fact]
    public async Task Render_MissingOrBadResults_Exit2_NamingTheFile_AndWriteNothing()
    {
        string good = _temp.Combine("bench");
        string empty = Directory.CreateDirectory(_temp.Combine("empty")).FullName;

        var missing = await Cli.RunAsync("report", "--render", good, empty);

        missing.ExitCode.Should().Be(ExitCodes.BadInput);
        missing.Stderr.Should().Contain($"'{Path.Combine(empty, "results.json")}' not found");
        File.Exists(Path.Combine(good, "results.md")).Should().BeFalse("every folder is checked before any is written");

        string broken = Directory.CreateDirectory(_temp.Combine("broken")).FullName;
        OutputFolder.WriteMarker(broken, "bench");
        File.WriteAllText(Path.Combine(broken, "results.json"), "{\n  \"metadata\": {\n    \"title\": 3\n  }\n}\n");
        var bad = await Cli.RunAsync("report", "--render", broken);

        bad.ExitCode.Should().Be(ExitCodes.BadInput);
        bad.Stderr.Should().Contain($"{Path.Combine(broken, "results.json")}: line 3, field '$.metadata.title'");
        File.Exists(Path.Combine(broken, "results.md")).Should().BeFalse();
    }
}
