using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.Reports;

/// <summary>Number and Markdown formatting shared by the report writers: invariant culture, three decimals, "n/a" for NaN.</summary>
internal static class ReportText
{
    public const string NotAvailable = "n/a";
    // U+2212: a real minus sign lines up with the plus sign in tables.
    private const string Minus = "\u2212";

    /// <summary>Three decimals; whole non-rate numbers (counts, k) without decimals; NaN as n/a; ±∞ spelled out.</summary>
    public static string Value(double value, bool isRate = true)
    {
        if (double.IsNaN(value)) { return NotAvailable; }
        if (double.IsPositiveInfinity(value)) { return "∞"; }
        if (double.IsNegativeInfinity(value)) { return Minus + "∞"; }
        if (!isRate && value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return value.ToString("0", CultureInfo.InvariantCulture).Replace("-", Minus, StringComparison.Ordinal);
        }
        return value.ToString("0.000", CultureInfo.InvariantCulture).Replace("-", Minus, StringComparison.Ordinal);
    }

    /// <summary>Signed difference with three decimals (<c>+0.120</c>, <c>−0.250</c>, <c>±0.000</c>), or n/a.</summary>
    public static string Delta(double delta)
    {
        if (double.IsNaN(delta)) { return NotAvailable; }
        string magnitude = Math.Abs(delta).ToString("0.000", CultureInfo.InvariantCulture);
        if (magnitude == "0.000") { return "±0.000"; }
        return (delta > 0 ? "+" : Minus) + magnitude;
    }

    /// <summary>An arrow for the change and whether it is better or worse: <c>↓ better</c>, <c>↑ worse</c>, <c>→</c>.</summary>
    public static string Trend(MetricInfo info, double before, double after)
    {
        if (double.IsNaN(before) || double.IsNaN(after)) { return ""; }
        if (Delta(after - before) == "±0.000") { return "→"; }
        string arrow = after > before ? "↑" : "↓";
        int quality = info.CompareQuality(after, before);
        return quality > 0 ? arrow + " better" : quality < 0 ? arrow + " worse" : arrow;
    }

    /// <summary>Mean ± sample standard deviation with three decimals.</summary>
    public static string MeanStd(SampleStatistics stats) =>
        stats.Count == 0 ? NotAvailable : $"{Value(stats.Mean)} ± {Value(stats.StandardDeviation)}";

    /// <summary>A small positive quantity (relative weight change) with four significant digits.</summary>
    public static string Significant(double value) =>
        double.IsNaN(value) ? NotAvailable : double.IsInfinity(value) ? "∞" : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Text safe inside a Markdown table cell: pipes escaped, line breaks flattened.</summary>
    public static string Cell(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Inline code span for hashes and names (backticks in the text replaced, since they would end the span).</summary>
    public static string Code(string? text) => string.IsNullOrEmpty(text) ? NotAvailable : "`" + Cell(text.Replace('`', '\'')) + "`";

    /// <summary>Appends a Markdown table.</summary>
    public static void Table(StringBuilder md, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        md.Append("| ").AppendJoin(" | ", header.Select(Cell)).Append(" |\n");
        md.Append('|').AppendJoin("|", header.Select(_ => " --- ")).Append("|\n");
        foreach (IReadOnlyList<string> row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }
        md.Append('\n');
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
