using Cipo.Evaluation.World;

namespace Cipo.Evaluation.Tests.World;

public sealed class NumberWordsTests
{
    // Expected forms written out by hand (the first six are the specification's examples).
    public static TheoryData<int, string[]> Golden => new()
    {
        { 1950, ["nineteen fifty", "one thousand nine hundred fifty"] },
        { 1905, ["nineteen oh five", "nineteen hundred five", "one thousand nine hundred five"] },
        { 1900, ["nineteen hundred", "one thousand nine hundred"] },
        { 2000, ["two thousand"] },
        { 2007, ["two thousand seven", "twenty oh seven"] },
        { 2019, ["two thousand nineteen", "twenty nineteen"] },
        { 1000, ["one thousand"] },
        { 1001, ["one thousand one", "ten oh one"] },
        { 1066, ["one thousand sixty six", "ten sixty six"] },
        { 1100, ["eleven hundred", "one thousand one hundred"] },
        { 1215, ["twelve fifteen", "one thousand two hundred fifteen"] },
        { 1776, ["seventeen seventy six", "one thousand seven hundred seventy six"] },
        { 1910, ["nineteen ten", "one thousand nine hundred ten"] },
        { 1999, ["nineteen ninety nine", "one thousand nine hundred ninety nine"] },
        { 2010, ["two thousand ten", "twenty ten"] },
        { 2042, ["two thousand forty two", "twenty forty two"] },
        { 2100, ["twenty one hundred", "two thousand one hundred"] },
        { 2101, ["twenty one oh one", "twenty one hundred one", "two thousand one hundred one"] },
        { 2380, ["twenty three eighty", "two thousand three hundred eighty"] },
        { 2999, ["twenty nine ninety nine", "two thousand nine hundred ninety nine"] },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Year_GoldenForms(int year, string[] expected) =>
        NumberWords.Year(year).Should().Equal(expected);

    [Fact]
    public void Year_AllForms_AreLowerCaseSingleSpacedHyphenFreeAndDistinct()
    {
        var seen = new Dictionary<string, int>();
        for (int year = NumberWords.MinYear; year <= NumberWords.MaxYear; year++)
        {
            IReadOnlyList<string> forms = NumberWords.Year(year);
            forms.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
            forms.Should().Equal(NumberWords.Year(year), "the order is deterministic");
            foreach (string f in forms)
            {
                f.Should().MatchRegex("^[a-z]+( [a-z]+)*$", $"{year}");
                // A spoken form names one year only: no two years share a form.
                seen.TryGetValue(f, out int other).Should().BeFalse($"'{f}' of {year} is also a form of {other}");
                seen[f] = year;
            }
        }
    }

    [Theory]
    [InlineData(999)]
    [InlineData(3000)]
    [InlineData(0)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Year_OutOfRange_Throws(int year) =>
        FluentActions.Invoking(() => NumberWords.Year(year)).Should().Throw<ArgumentOutOfRangeException>();
}
