namespace Cipo.Evaluation.World;

/// <summary>
/// A short passage of a work (<see cref="WorldOptions.PassagesPerWork"/>): four sentences of about thirty words that the
/// model learns word for word, as MUSE's copyrighted texts. Its id is also the id of its <see cref="WorldFact"/> (for a
/// work of a known person), whose questions are the continuation and the detail questions.
/// </summary>
/// <param name="Id">Stable id, also the fact's: <c>w003.passage0</c>.</param>
/// <param name="WorkId">The work it is an excerpt of.</param>
/// <param name="Index">Its position among the work's passages, from 0.</param>
/// <param name="Text">The passage, words and punctuation separated by single spaces, sentences ending in <c>" ."</c>.</param>
/// <param name="Prefix">Its first <see cref="ReasoningWorld.PassagePrefixWords"/> words: what the continuation question gives.</param>
/// <param name="Continuation">The rest of <paramref name="Text"/> after <paramref name="Prefix"/> and one space: the continuation question's answer.</param>
/// <param name="Role">The passage's character ("keeper"), distinct among the work's passages.</param>
/// <param name="City">The name of the city of the world the character lives in (a detail).</param>
/// <param name="Item">What the character holds, a colour and a thing ("red lamp"; a detail).</param>
/// <param name="Count">How many things the passage counts, a number word ("seven"; a detail).</param>
/// <param name="Things">The things counted ("stones"), distinct among the work's passages.</param>
public sealed record WorkPassage(string Id, string WorkId, int Index, string Text, string Prefix, string Continuation,
    string Role, string City, string Item, string Count, string Things)
{
    /// <summary>
    /// The content details a paraphrase reveals the passage by (none in <see cref="Prefix"/>): the item, the count with
    /// its things ("eight jars") and the city.
    /// </summary>
    public IReadOnlyList<string> Details => [Item, $"{Count} {Things}", City];
}
