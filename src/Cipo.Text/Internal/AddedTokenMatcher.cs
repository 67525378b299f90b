namespace Cipo.Text.Internal;

/// <summary>
/// Finds added tokens in text the way Hugging Face's <c>AddedVocabulary</c> does: leftmost-longest, non-overlapping
/// matches, honouring <c>single_word</c>, <c>lstrip</c> and <c>rstrip</c>. The text between matches is left to the model.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Node _root = new();

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        foreach (AddedToken token in tokens)
        {
            if (token.Content.Length == 0)
            {
                continue;
            }
            Node node = _root;
            foreach (char c in token.Content)
            {
                node.Children ??= new Dictionary<char, Node>();
                if (!node.Children.TryGetValue(c, out Node? child))
                {
                    child = new Node();
                    node.Children[c] = child;
                }
                node = child;
            }
            // A later duplicate of the same content wins, as a later entry overrides an earlier one in Hugging Face.
            node.Token = token;
            IsEmpty = false;
        }
    }

    /// <summary>Whether there is nothing to match.</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Splits <paramref name="text"/> into plain segments (Token null) and added tokens, in order.</summary>
    public void Split(string text, List<(string Text, AddedToken? Token)> output)
    {
        if (IsEmpty || text.Length == 0)
        {
            if (text.Length > 0)
            {
                output.Add((text, null));
            }
            return;
        }

        int segmentStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            (AddedToken? token, int length) = LongestAt(text, i);
            if (token is null)
            {
                i++;
                continue;
            }

            int start = i;
            int stop = i + length;
            // Aho-Corasick yields the match whatever its flags; a rejected single-word match stays plain text.
            i = stop;
            if (token.SingleWord && (EndsWithWordChar(text, start) || StartsWithWordChar(text, stop)))
            {
                continue;
            }
            if (token.LeftStrip)
            {
                while (start > segmentStart && char.IsWhiteSpace(text[start - 1]))
                {
                    start--;
                }
            }
            if (token.RightStrip)
            {
                while (stop < text.Length && char.IsWhiteSpace(text[stop]))
                {
                    stop++;
                }
                i = stop;
            }
            if (start > segmentStart)
            {
                output.Add((text[segmentStart..start], null));
            }
            output.Add((token.Content, token));
            segmentStart = stop;
        }
        if (segmentStart < text.Length)
        {
            output.Add((text[segmentStart..], null));
        }
    }

    private (AddedToken? Token, int Length) LongestAt(string text, int start)
    {
        Node node = _root;
        AddedToken? best = null;
        int bestLength = 0;
        for (int j = start; j < text.Length; j++)
        {
            if (node.Children is null || !node.Children.TryGetValue(text[j], out Node? child))
            {
                break;
            }
            node = child;
            if (node.Token is not null)
            {
                best = node.Token;
                bestLength = j - start + 1;
            }
        }
        return (best, bestLength);
    }

    // Hugging Face treats alphanumeric characters (Rust char::is_alphanumeric: letters and all numbers) and '_' as word characters.
    private static bool EndsWithWordChar(string text, int index) =>
        index > 0 && IsWordChar(text, char.IsLowSurrogate(text[index - 1]) && index > 1 ? index - 2 : index - 1);

    private static bool StartsWithWordChar(string text, int index) => index < text.Length && IsWordChar(text, index);

    private static bool IsWordChar(string text, int index) =>
        text[index] == '_'
        || (System.Text.Rune.TryGetRuneAt(text, index, out System.Text.Rune rune) && (System.Text.Rune.IsLetter(rune) || System.Text.Rune.IsNumber(rune)));

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public AddedToken? Token;
    }
}
