using System.Globalization;
using System.Text;

namespace Cipo.Evaluation.World;

/// <summary>
/// Reasoning traces for arithmetic a tiny model can learn as an algorithm rather than memorise: addition and subtraction
/// column by column from the ones, with the carry (borrow) written out, and small products as table facts.
/// </summary>
/// <remarks>
/// <para>
/// Operands are restated digit by digit and zero-padded to the same width, and every column is one fixed-length step
/// named by its place (<c>ones</c>, <c>tens</c>, <c>hundreds</c>, <c>thousands</c>). So the digits a step needs always lie
/// at the same distance from the place word, whatever the question around it: the model copies by position and applies
/// a 200-entry digit table, instead of doing multi-digit arithmetic in one token.
/// </para>
/// <para>
/// Addition <c>47 + 38</c>: <c>4 7 + 3 8 : ones 7 + 8 + 0 = 5 carry 1 , tens 4 + 3 + 1 = 8 carry 0 . So the result is 8 5 .</c>
/// Subtraction writes <c>- borrow</c> columns the same way. The result is written as the world writes numbers
/// (<see cref="WorldOptions.SplitDigits"/>).
/// </para>
/// </remarks>
public static class ArithmeticScratchpad
{
    /// <summary>Place words of the columns, ones first; operands have at most this many digits.</summary>
    public static IReadOnlyList<string> PlaceWords { get; } = ["ones", "tens", "hundreds", "thousands"];

    /// <summary>
    /// The tokens that mark arithmetic (place words, <c>carry</c>, <c>borrow</c>, <c>result</c>, <c>=</c>, <c>+</c>,
    /// <c>*</c>): in an output about anything but arithmetic they are scraps of this format
    /// (<see cref="Audit.DegenerateOutputDetector.OffTopicMarkers"/>).
    /// </summary>
    public static IReadOnlyList<string> MarkerWords { get; } = ["ones", "tens", "hundreds", "thousands", "carry", "borrow", "result", "=", "+", "*"];

    /// <summary>The words that introduce the result at the end of a column trace.</summary>
    public const string ResultPhrase = "So the result is";

    /// <summary>Column-by-column addition of two non-negative numbers of at most four digits.</summary>
    /// <param name="a">First addend, 0–9999.</param>
    /// <param name="b">Second addend, 0–9999.</param>
    /// <param name="splitDigits">Write the result digit by digit (see <see cref="WorldOptions.SplitDigits"/>).</param>
    public static string Add(int a, int b, bool splitDigits) => Columns(a, b, subtract: false, splitDigits);

    /// <summary>Column-by-column subtraction <paramref name="a"/> − <paramref name="b"/> with borrows.</summary>
    /// <param name="a">Minuend, 0–9999.</param>
    /// <param name="b">Subtrahend, 0 to <paramref name="a"/>.</param>
    /// <param name="splitDigits">Write the result digit by digit (see <see cref="WorldOptions.SplitDigits"/>).</param>
    public static string Subtract(int a, int b, bool splitDigits)
    {
        if (b > a) throw new ArgumentOutOfRangeException(nameof(b), b, $"Must not exceed the minuend ({a}); results are never negative.");
        return Columns(a, b, subtract: true, splitDigits);
    }

    /// <summary>A small product as a table fact: <c>7 * 8 = 5 6 .</c></summary>
    /// <param name="a">First factor, 0–9.</param>
    /// <param name="b">Second factor, 0–9.</param>
    /// <param name="splitDigits">Write the numbers digit by digit (see <see cref="WorldOptions.SplitDigits"/>).</param>
    public static string Multiply(int a, int b, bool splitDigits)
    {
        if (a is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(a), a, "A table fact has one-digit factors (0–9).");
        if (b is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(b), b, "A table fact has one-digit factors (0–9).");
        return $"{a} * {b} = {ReasoningWorld.FormatNumber(a * b, splitDigits)} .";
    }

    private static string Columns(int a, int b, bool subtract, bool splitDigits)
    {
        CheckOperand(a, nameof(a));
        CheckOperand(b, nameof(b));
        string sign = subtract ? "-" : "+";
        string da = a.ToString(CultureInfo.InvariantCulture), db = b.ToString(CultureInfo.InvariantCulture);
        int width = Math.Max(da.Length, db.Length);
        da = da.PadLeft(width, '0');
        db = db.PadLeft(width, '0');

        var sb = new StringBuilder();
        sb.Append(Spaced(da)).Append(' ').Append(sign).Append(' ').Append(Spaced(db)).Append(" :");
        int carry = 0;
        for (int column = 0; column < width; column++)
        {
            int x = da[width - 1 - column] - '0', y = db[width - 1 - column] - '0';
            (string step, int next) = Step(PlaceWords[column], x, y, carry, subtract);
            sb.Append(' ').Append(step).Append(column == width - 1 ? " ." : " ,");
            carry = next;
        }
        int result = subtract ? a - b : a + b;
        sb.Append(' ').Append(ResultPhrase).Append(' ').Append(ReasoningWorld.FormatNumber(result, splitDigits)).Append(" .");
        return sb.ToString();
    }

    /// <summary>
    /// One column step as it appears in a column trace, without the closing punctuation:
    /// <c>tens 4 + 3 + 1 = 8 carry 0</c>, <c>tens 1 - 5 - 0 = 6 borrow 1</c>. On its own it is a digit-table fact.
    /// </summary>
    /// <param name="place">The place word (one of <see cref="PlaceWords"/>).</param>
    /// <param name="x">Digit of the first operand, 0–9.</param>
    /// <param name="y">Digit of the second operand, 0–9.</param>
    /// <param name="carryIn">Carry (borrow) from the column to the right, 0 or 1.</param>
    /// <param name="subtract">Subtraction (borrow) instead of addition (carry).</param>
    /// <returns>The step text and the carry (borrow) it passes on.</returns>
    public static (string Text, int CarryOut) Step(string place, int x, int y, int carryIn, bool subtract)
    {
        if (!PlaceWords.Contains(place)) throw new ArgumentException($"Unknown place word '{place}' (known: {string.Join(", ", PlaceWords)}).", nameof(place));
        if (x is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(x), x, "A digit (0–9).");
        if (y is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(y), y, "A digit (0–9).");
        if (carryIn is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(carryIn), carryIn, "0 or 1.");
        string sign = subtract ? "-" : "+";
        int raw = subtract ? x - y - carryIn : x + y + carryIn;
        int digit = (raw + 10) % 10;
        int next = subtract ? (raw < 0 ? 1 : 0) : raw / 10;
        return ($"{place} {x} {sign} {y} {sign} {carryIn} = {digit} {(subtract ? "borrow" : "carry")} {next}", next);
    }

    private static void CheckOperand(int value, string name)
    {
        if (value is < 0 or > 9999) throw new ArgumentOutOfRangeException(name, value, $"Column traces take 0–9999 ({PlaceWords.Count} places).");
    }

    private static string Spaced(string digits) => string.Join(' ', digits.ToCharArray());
}
