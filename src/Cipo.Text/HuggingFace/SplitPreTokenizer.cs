using System.Text.RegularExpressions;
using Cipo.Text.Internal;
using Microsoft.ML.Tokenizers;

namespace Cipo.Text;

/// <summary>
/// The Hugging Face <c>Split</c> pre-tokenizer as a Microsoft.ML.Tokenizers <see cref="PreTokenizer"/>: cuts text at the
/// matches of a regex (written in the Rust/Oniguruma dialect of <c>tokenizer.json</c>) and keeps, drops or merges the
/// matches according to a <see cref="SplitDelimiterBehavior"/>.
/// </summary>
/// <remarks>
/// Matching follows the Hugging Face semantics on Unicode code points: a supplementary-plane character (an emoji,
/// <c>𝐀</c>, a CJK extension B ideograph) counts as one character of its own general category, as in Rust, although
/// .NET regexes see two surrogates; <c>\s</c> is Unicode White_Space; pieces between matches are kept. Empty pieces
/// are never returned.
/// </remarks>
public sealed class SplitPreTokenizer : PreTokenizer
{
    private readonly Regex? _regex;
    private readonly string? _literal;
    private readonly SupplementaryCharacterProxy? _proxy;

    /// <summary>Creates a split on a regex pattern in the Hugging Face (Rust <c>regex</c>) dialect.</summary>
    /// <param name="pattern">The regex, as in <c>pattern.Regex</c> of <c>tokenizer.json</c>.</param>
    /// <param name="behavior">What to do with the matches.</param>
    /// <param name="invert">Whether the pieces between matches are treated as the matches (Hugging Face <c>invert</c>).</param>
    /// <exception cref="NotSupportedException">The pattern uses syntax with no .NET equivalent.</exception>
    public SplitPreTokenizer(string pattern, SplitDelimiterBehavior behavior = SplitDelimiterBehavior.Isolated, bool invert = false)
        : this(pattern, behavior, invert, CreateRegex(pattern, out SupplementaryCharacterProxy proxy), proxy, literal: null)
    {
    }

    private SplitPreTokenizer(string pattern, SplitDelimiterBehavior behavior, bool invert, Regex? regex, SupplementaryCharacterProxy? proxy, string? literal)
    {
        if (!Enum.IsDefined(behavior))
        {
            throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "Unknown split behavior.");
        }
        Pattern = pattern;
        Behavior = behavior;
        Invert = invert;
        _regex = regex;
        _proxy = proxy;
        _literal = literal;
    }

    /// <summary>Creates a split on a literal string (Hugging Face <c>pattern.String</c>).</summary>
    /// <remarks>The literal is found with an ordinal search rather than a regex, so it may hold any character, emoji included.</remarks>
    public static SplitPreTokenizer FromLiteral(string literal, SplitDelimiterBehavior behavior = SplitDelimiterBehavior.Isolated, bool invert = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(literal);
        return new SplitPreTokenizer(literal, behavior, invert, regex: null, proxy: null, literal);
    }

    /// <summary>The pattern as given (Rust dialect), or the literal for <see cref="FromLiteral"/>.</summary>
    public string Pattern { get; }

    /// <summary>What happens to the matches.</summary>
    public SplitDelimiterBehavior Behavior { get; }

    /// <summary>Whether matches and non-matches swap roles.</summary>
    public bool Invert { get; }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : PreTokenize(text.AsSpan());

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.IsEmpty)
        {
            return pieces;
        }

        // (start, end, isMatch) ranges covering the whole text, as Hugging Face's Pattern::find_matches produces them.
        var ranges = new List<(int Start, int End, bool IsMatch)>();
        if (_literal is not null)
        {
            CollectLiteralRanges(text, _literal, ranges);
        }
        else if (SupplementaryCharacterProxy.IsNeeded(text))
        {
            char[] proxy = _proxy!.Build(text, out int[] starts, out int proxyLength);
            CollectRanges(proxy.AsSpan(0, proxyLength), ranges);
            for (int k = 0; k < ranges.Count; k++)
            {
                (int s, int e, bool m) = ranges[k];
                ranges[k] = (starts[s], starts[e], m);
            }
        }
        else
        {
            CollectRanges(text, ranges);
        }

        if (Invert)
        {
            for (int k = 0; k < ranges.Count; k++)
            {
                ranges[k] = ranges[k] with { IsMatch = !ranges[k].IsMatch };
            }
        }

        ApplyBehavior(ranges, pieces);
        return pieces;
    }

    private static Regex CreateRegex(string pattern, out SupplementaryCharacterProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string translated = RustRegexTranslator.Translate(pattern, out HashSet<char> literals);
        Regex regex;
        try
        {
            // Compiled: the same regex runs over every training and prompt text, so the one-time compile cost pays off.
            regex = new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        }
        catch (ArgumentException ex)
        {
            throw new NotSupportedException($"regex '{pattern}' cannot be used by .NET: {ex.Message}", ex);
        }
        proxy = new SupplementaryCharacterProxy(literals);
        return regex;
    }

    private void CollectRanges(ReadOnlySpan<char> text, List<(int Start, int End, bool IsMatch)> ranges)
    {
        int previous = 0;
        foreach (ValueMatch match in _regex!.EnumerateMatches(text))
        {
            if (match.Index != previous)
            {
                ranges.Add((previous, match.Index, false));
            }
            ranges.Add((match.Index, match.Index + match.Length, true));
            previous = match.Index + match.Length;
        }
        if (previous != text.Length)
        {
            ranges.Add((previous, text.Length, false));
        }
    }

    private void ApplyBehavior(List<(int Start, int End, bool IsMatch)> ranges, List<(int Offset, int Length)> pieces)
    {
        // Mirrors SplitDelimiterBehavior handling in Hugging Face NormalizedString::split.
        var merged = new List<(int Start, int End)>(ranges.Count);
        switch (Behavior)
        {
            case SplitDelimiterBehavior.Isolated:
                foreach (var r in ranges)
                {
                    merged.Add((r.Start, r.End));
                }
                break;
            case SplitDelimiterBehavior.Removed:
                foreach (var r in ranges)
                {
                    if (!r.IsMatch)
                    {
                        merged.Add((r.Start, r.End));
                    }
                }
                break;
            case SplitDelimiterBehavior.MergedWithPrevious:
            {
                bool previousMatch = false;
                foreach (var r in ranges)
                {
                    if (r.IsMatch && !previousMatch && merged.Count > 0)
                    {
                        merged[^1] = (merged[^1].Start, r.End);
                    }
                    else
                    {
                        merged.Add((r.Start, r.End));
                    }
                    previousMatch = r.IsMatch;
                }
                break;
            }
            case SplitDelimiterBehavior.MergedWithNext:
            {
                bool previousMatch = false;
                for (int k = ranges.Count - 1; k >= 0; k--)
                {
                    var r = ranges[k];
                    if (r.IsMatch && !previousMatch && merged.Count > 0)
                    {
                        merged[^1] = (r.Start, merged[^1].End);
                    }
                    else
                    {
                        merged.Add((r.Start, r.End));
                    }
                    previousMatch = r.IsMatch;
                }
                merged.Reverse();
                break;
            }
            case SplitDelimiterBehavior.Contiguous:
            {
                bool previousMatch = false;
                foreach (var r in ranges)
                {
                    if (r.IsMatch == previousMatch && merged.Count > 0)
                    {
                        merged[^1] = (merged[^1].Start, r.End);
                    }
                    else
                    {
                        merged.Add((r.Start, r.End));
                    }
                    previousMatch = r.IsMatch;
                }
                break;
            }
            default:
                throw new InvalidOperationException($"Unknown split behavior {Behavior}.");
        }

        foreach ((int start, int end) in merged)
        {
            if (end > start)
            {
                pieces.Add((start, end - start));
            }
        }
    }

    private static void CollectLiteralRanges(ReadOnlySpan<char> text, string literal, List<(int Start, int End, bool IsMatch)> ranges)
    {
        int previous = 0;
        while (previous < text.Length)
        {
            int found = text[previous..].IndexOf(literal, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }
            found += previous;
            if (found != previous)
            {
                ranges.Add((previous, found, false));
            }
            ranges.Add((found, found + literal.Length, true));
            previous = found + literal.Length;
        }
        if (previous != text.Length)
        {
            ranges.Add((previous, text.Length, false));
        }
    }
}
