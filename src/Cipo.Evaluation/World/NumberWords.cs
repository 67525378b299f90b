namespace Cipo.Evaluation.World;

/// <summary>English number words, lower case, words separated by single spaces and without hyphens ("forty two").</summary>
public static class NumberWords
{
    private static readonly string[] s_units =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] s_tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>Lowest year <see cref="Year"/> accepts.</summary>
    public const int MinYear = 1000;

    /// <summary>Highest year <see cref="Year"/> accepts.</summary>
    public const int MaxYear = 2999;

    /// <summary>
    /// The spoken forms of a year that a text could use, distinct, in a fixed order (the usual reading first).
    /// With c = year / 100 and r = year % 100, and the cardinal "X thousand [Y hundred] [r]":
    /// <list type="bullet">
    /// <item>hundreds digit not 0 (e.g. 1950, 1905, 1900, 2150): the paired reading "c r" ("nineteen fifty"),
    /// "c oh r" when r &lt; 10 ("nineteen oh five") or "c hundred" when r = 0 ("nineteen hundred"); then, when
    /// 0 &lt; r &lt; 10, "c hundred r" ("nineteen hundred five"); then the cardinal ("one thousand nine hundred five").</item>
    /// <item>hundreds digit 0 (1000–1099, 2000–2099): the cardinal first ("two thousand seven"), then, when r &gt; 0,
    /// the paired reading ("twenty oh seven", "twenty nineteen"); "twenty hundred" is not used.</item>
    /// </list>
    /// No "and" is inserted ("nineteen hundred five", not "nineteen hundred and five").
    /// </summary>
    /// <param name="year">A year from <see cref="MinYear"/> to <see cref="MaxYear"/>.</param>
    /// <returns>The spoken forms, e.g. 1950 → ["nineteen fifty", "one thousand nine hundred fifty"].</returns>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside 1000–2999.</exception>
    public static IReadOnlyList<string> Year(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, MaxYear);
        int century = year / 100, rest = year % 100, hundreds = century % 10;
        string cardinal = Join(s_units[year / 1000], "thousand", hundreds == 0 ? null : $"{s_units[hundreds]} hundred", rest == 0 ? null : UpTo99(rest));
        string c = UpTo99(century);
        string? paired = rest == 0 ? (hundreds == 0 ? null : $"{c} hundred") : rest < 10 ? $"{c} oh {s_units[rest]}" : $"{c} {UpTo99(rest)}";
        var forms = new List<string>(3);
        if (hundreds == 0)
        {
            forms.Add(cardinal);
            if (paired is not null) { forms.Add(paired); }
        }
        else
        {
            forms.Add(paired!);
            if (rest is > 0 and < 10) { forms.Add($"{c} hundred {s_units[rest]}"); }
            forms.Add(cardinal);
        }
        return forms;
    }

    /// <summary>0–99 in words: "seven", "nineteen", "forty", "forty two".</summary>
    private static string UpTo99(int n) =>
        n < 20 ? s_units[n] : n % 10 == 0 ? s_tens[n / 10] : $"{s_tens[n / 10]} {s_units[n % 10]}";

    private static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => p is not null));
}
