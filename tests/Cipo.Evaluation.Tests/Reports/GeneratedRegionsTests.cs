using System.Text.Json;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class GeneratedRegionsTests : IDisposable
{
    private readonly string _folder = ReportSamples.TempFolder();
    private readonly BenchmarkReportDocument _doc = BenchmarkSamples.Document();

    public GeneratedRegionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "bench", "out"));
        File.WriteAllText(Path.Combine(_folder, "bench", "out", "results.json"), JsonSerializer.Serialize(_doc, ReportJson.Options));
        Directory.CreateDirectory(Path.Combine(_folder, "docs"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) { Directory.Delete(_folder, recursive: true); }
    }

    private string Markdown(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Region(string results, string table, string body) =>
        $"<!-- cipo:generated results=\"{results}\" table=\"{table}\" -->\n{body}<!-- cipo:generated:end -->\n";

    [Fact]
    public void Region_bodies_are_replaced_by_the_tables_of_their_results_file_relative_to_the_markdown_folder()
    {
        string path = Markdown("docs/benchmarks.md",
            "# Benchmarks\n\nText before.\n\n" + Region("../bench/out/results.json", "headline", "stale table\n")
            + "\nBetween.\n\n" + Region("../bench/out/results.json", "worlds", "") + "\nText after.\n");

        string updated = BenchmarkTables.UpdateRegions(path);

        updated.Should().Be("# Benchmarks\n\nText before.\n\n"
            + "<!-- cipo:generated results=\"../bench/out/results.json\" table=\"headline\" -->\n\n" + BenchmarkTables.Headline(_doc) + "\n<!-- cipo:generated:end -->\n"
            + "\nBetween.\n\n"
            + "<!-- cipo:generated results=\"../bench/out/results.json\" table=\"worlds\" -->\n\n" + BenchmarkTables.Worlds(_doc) + "\n<!-- cipo:generated:end -->\n"
            + "\nText after.\n");
        File.ReadAllText(path).Should().Contain("stale table", "UpdateRegions returns the text and writes nothing");
    }

    [Fact]
    public void Updating_is_idempotent_for_every_table()
    {
        string path = Markdown("README.md", string.Concat(BenchmarkTables.TableNames.Select(t => Region("bench/out/results.json", t, "x\n") + "\n")));

        string once = BenchmarkTables.UpdateRegions(path);
        File.WriteAllText(path, once);

        BenchmarkTables.UpdateRegions(path).Should().Be(once);
        once.Should().Contain(BenchmarkTables.Full(_doc)).And.Contain(BenchmarkTables.Runs(_doc));
    }

    [Fact]
    public void A_file_without_regions_and_markers_in_fenced_code_are_left_alone()
    {
        string text = "# Title\n\n```markdown\n" + Region("missing/results.json", "nonsense", "example\n") + "```\n\n~~~\n<!-- cipo:generated:end -->\n~~~\n";
        string path = Markdown("README.md", text);

        BenchmarkTables.UpdateRegions(path).Should().Be(text);
    }

    [Fact]
    public void Windows_line_endings_are_kept()
    {
        string path = Markdown("README.md", Region("bench/out/results.json", "headline", "").Replace("\n", "\r\n"));

        string updated = BenchmarkTables.UpdateRegions(path);

        updated.Should().Contain("\r\n").And.NotMatchRegex("[^\r]\n");
        updated.Should().Contain(BenchmarkTables.Headline(_doc).TrimEnd('\n').Replace("\n", "\r\n"));
    }

    [Theory]
    [InlineData("# T\n\n<!-- cipo:generated results=\"bench/out/results.json\" table=\"best\" -->\n<!-- cipo:generated:end -->\n", 3, "unknown table 'best' (known: headline, full, worlds, runs, goals, summary, tuning, pareto, robustness, comparison, robustness-goals, sequential, sequential-goals, fact-update, passages, passages-goals, hazard, hazard-goals)")]
    [InlineData("# T\n<!-- cipo:generated results=\"bench/nope/results.json\" table=\"headline\" -->\n<!-- cipo:generated:end -->\n", 2, "results file 'bench/nope/results.json' not found")]
    [InlineData("# T\n\n\n<!-- cipo:generated results=\"bench/out/results.json\" table=\"headline\" -->\n| old |\n", 4, "region is not terminated")]
    [InlineData("<!-- cipo:generated results=\"bench/out/results.json\" table=\"headline\" -->\n<!-- cipo:generated results=\"bench/out/results.json\" table=\"runs\" -->\n<!-- cipo:generated:end -->\n", 1, "region is not terminated")]
    [InlineData("# T\n<!-- cipo:generated:end -->\n", 2, "without a region before it")]
    [InlineData("<!-- cipo:generated table=\"headline\" -->\n<!-- cipo:generated:end -->\n", 1, "attribute 'results'")]
    [InlineData("<!-- cipo:generated results=\"bench/out/results.json\" -->\n<!-- cipo:generated:end -->\n", 1, "attribute 'table' is required")]
    [InlineData("<!-- cipo:generated results=\"bench/out/results.json\" table=\"headline\" colour=\"red\" -->\n<!-- cipo:generated:end -->\n", 1, "unknown attribute 'colour'")]
    [InlineData("<!-- cipo:generated results=bench/out/results.json table=\"headline\" -->\n<!-- cipo:generated:end -->\n", 1, "malformed marker")]
    public void Bad_regions_name_the_file_and_line(string text, int line, string detail)
    {
        string path = Markdown("README.md", text);

        GeneratedRegionException error = FluentActions.Invoking(() => BenchmarkTables.UpdateRegions(path)).Should().Throw<GeneratedRegionException>().Which;

        error.FilePath.Should().Be(path);
        error.LineNumber.Should().Be(line);
        error.Message.Should().StartWith($"{path} line {line}: ").And.Contain(detail);
    }

    [Fact]
    public void A_results_file_that_is_not_a_benchmark_is_a_clear_error()
    {
        File.WriteAllText(Path.Combine(_folder, "bench", "out", "results.json"), "{ not json");
        string path = Markdown("README.md", Region("bench/out/results.json", "headline", ""));

        FluentActions.Invoking(() => BenchmarkTables.UpdateRegions(path)).Should().Throw<GeneratedRegionException>()
            .WithMessage("*line 1: results file 'bench/out/results.json' is not a benchmark results.json*");
    }
}
