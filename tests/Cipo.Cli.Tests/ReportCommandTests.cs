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
    [InlineData("report", "give --update (rewrite the files) or --check")]
    [InlineData("report --update", "--update needs at least one Markdown file")]
    [InlineData("report --update --check README.md", "give either --update or --check, not both")]
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
}
