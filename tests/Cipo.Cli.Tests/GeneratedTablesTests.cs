using Cipo.Evaluation.Reports;

namespace Cipo.Cli.Tests;

/// <summary>
/// Every generated region of README.md and docs/**/*.md
/// (<c>&lt;!-- cipo:generated results="…/results.json" table="…" --&gt;</c> … <c>&lt;!-- cipo:generated:end --&gt;</c>)
/// must be what <see cref="BenchmarkTables.UpdateRegions"/> renders from its results file now, so a committed table
/// can never drift from its results. Regenerate with
/// <c>CIPO_UPDATE_DOCS=1 dotnet test tests/Cipo.Cli.Tests -c Release --filter GeneratedTables</c> (or <c>cipo report --update FILE</c>).
/// </summary>
public sealed class GeneratedTablesTests
{
    [Fact]
    public void GeneratedRegions_MatchTheirResultsFiles()
    {
        string root = RepositoryRoot();
        string docs = Path.Combine(root, "docs");
        IEnumerable<string> files = Directory.Exists(docs) ? Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories) : [];
        string readme = Path.Combine(root, "README.md");
        bool update = Environment.GetEnvironmentVariable("CIPO_UPDATE_DOCS") == "1";

        var stale = new List<string>();
        foreach (string file in (File.Exists(readme) ? files.Prepend(readme) : files).Order(StringComparer.Ordinal))
        {
            string current = File.ReadAllText(file);
            string generated = BenchmarkTables.UpdateRegions(file);
            if (string.Equals(current, generated, StringComparison.Ordinal))
            {
                continue;
            }
            if (update)
            {
                File.WriteAllText(file, generated);
            }
            else
            {
                stale.Add(Path.GetRelativePath(root, file));
            }
        }

        stale.Should().BeEmpty("generated tables must match their results files; regenerate with "
            + "CIPO_UPDATE_DOCS=1 dotnet test tests/Cipo.Cli.Tests -c Release --filter GeneratedTables");
    }

    internal static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Cipo.Sdk.sln"))) return dir;
        }
        throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }
}
