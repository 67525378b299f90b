using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cipo.Evaluation.Reports;

// A line scanner, not a Markdown parser: the markers are whole HTML-comment lines, so matching lines (outside fenced code) is all it takes.
/// <summary>
/// Replaces the body of every generated region of a Markdown file with the table rendered from its results file:
/// <c>&lt;!-- cipo:generated results="RELATIVE/PATH/results.json" table="headline" --&gt;</c> … <c>&lt;!-- cipo:generated:end --&gt;</c>.
/// </summary>
internal static partial class GeneratedRegions
{
    /// <summary>The line that ends a region.</summary>
    public const string EndMarker = "<!-- cipo:generated:end -->";

    // Up to three spaces of indent, as CommonMark allows before an HTML block; four would be an indented code block.
    [GeneratedRegex(@"^ {0,3}<!--\s*cipo:generated\s+(?<attributes>.*?)\s*-->\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex BeginLine();

    [GeneratedRegex(@"^ {0,3}<!--\s*cipo:generated:end\s*-->\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EndLine();

    [GeneratedRegex(@"(?<name>[A-Za-z_-]+)=""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex Attribute();

    /// <summary>The text of <paramref name="markdownPath"/> with every region's body rendered anew (line endings kept).</summary>
    /// <exception cref="GeneratedRegionException">A region cannot be rendered.</exception>
    public static string Update(string markdownPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(markdownPath);
        string text = File.ReadAllText(markdownPath);
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        string folder = Path.GetDirectoryName(Path.GetFullPath(markdownPath))!;
        var documents = new Dictionary<string, BenchmarkReportDocument>(StringComparer.Ordinal);
        var output = new List<string>(lines.Length);
        string? fence = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            output.Add(line);
            if (IsFence(line, ref fence) || fence is not null)
            {
                continue; // Markers inside fenced code are examples, not regions.
            }
            if (EndLine().IsMatch(line))
            {
                throw new GeneratedRegionException(markdownPath, i + 1, $"'{EndMarker}' without a region before it");
            }
            Match begin = BeginLine().Match(line);
            if (!begin.Success)
            {
                continue;
            }
            (string results, string table) = Attributes(markdownPath, i + 1, begin.Groups["attributes"].Value);
            int end = EndOf(markdownPath, lines, i);
            string resultsPath = Path.GetFullPath(Path.Combine(folder, results));
            if (!documents.TryGetValue(resultsPath, out BenchmarkReportDocument? document))
            {
                document = Load(markdownPath, i + 1, results, resultsPath);
                documents[resultsPath] = document;
            }
            output.Add("");
            output.AddRange(BenchmarkTables.Render(document, table).TrimEnd('\n').Split('\n'));
            output.Add("");
            output.Add(lines[end]);
            i = end;
        }
        return string.Join(newline, output);
    }

    /// <summary>The line index of the region's end marker; another begin marker or the end of the file first is an error.</summary>
    private static int EndOf(string markdownPath, string[] lines, int begin)
    {
        for (int j = begin + 1; j < lines.Length; j++)
        {
            if (EndLine().IsMatch(lines[j]))
            {
                return j;
            }
            if (BeginLine().IsMatch(lines[j]))
            {
                break;
            }
        }
        throw new GeneratedRegionException(markdownPath, begin + 1, $"region is not terminated: '{EndMarker}' must follow before the next region or the end of the file");
    }

    private static (string Results, string Table) Attributes(string markdownPath, int line, string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match attribute in Attribute().Matches(text))
        {
            string name = attribute.Groups["name"].Value;
            if (name is not ("results" or "table"))
            {
                throw new GeneratedRegionException(markdownPath, line, $"unknown attribute '{name}' (known: results, table)");
            }
            if (!values.TryAdd(name, attribute.Groups["value"].Value))
            {
                throw new GeneratedRegionException(markdownPath, line, $"attribute '{name}' is given more than once");
            }
        }
        if (Attribute().Replace(text, "").Trim().Length > 0)
        {
            throw new GeneratedRegionException(markdownPath, line, $"malformed marker: expected results=\"PATH\" table=\"NAME\", got '{text}'");
        }
        if (!values.TryGetValue("results", out string? results) || results.Length == 0)
        {
            throw new GeneratedRegionException(markdownPath, line, "attribute 'results' (the results.json, relative to this file's folder) is required");
        }
        if (!values.TryGetValue("table", out string? table) || !BenchmarkTables.TableNames.Contains(table, StringComparer.Ordinal))
        {
            string given = table is null ? "attribute 'table' is required" : $"unknown table '{table}'";
            throw new GeneratedRegionException(markdownPath, line, $"{given} (known: {string.Join(", ", BenchmarkTables.TableNames)})");
        }
        return (results, table);
    }

    private static BenchmarkReportDocument Load(string markdownPath, int line, string results, string resultsPath)
    {
        if (!File.Exists(resultsPath))
        {
            throw new GeneratedRegionException(markdownPath, line, $"results file '{results}' not found (looked for {resultsPath})");
        }
        try
        {
            return JsonSerializer.Deserialize<BenchmarkReportDocument>(File.ReadAllText(resultsPath), ReportJson.Options)
                ?? throw new JsonException("the file is empty");
        }
        catch (JsonException ex)
        {
            throw new GeneratedRegionException(markdownPath, line, $"results file '{results}' is not a benchmark results.json: {ex.Message}", ex);
        }
    }

    /// <summary>Whether <paramref name="line"/> opens or closes a fenced code block (``` or ~~~), tracking the open fence.</summary>
    private static bool IsFence(string line, ref string? open)
    {
        string trimmed = line.TrimStart(' ');
        if (line.Length - trimmed.Length > 3 || !(trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
        {
            return false;
        }
        string run = trimmed[..trimmed.TakeWhile(c => c == trimmed[0]).Count()];
        if (open is null)
        {
            open = run;
            return true;
        }
        if (run[0] == open[0] && run.Length >= open.Length && trimmed[run.Length..].Trim().Length == 0)
        {
            open = null;
            return true;
        }
        return false;
    }
}
