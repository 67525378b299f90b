using Cipo.Text;

namespace Cipo.TorchSharp.Tests.Generation;

/// <summary>
/// One character per id: id i ↦ (char)('!' + i) for the 94 printable ASCII characters, ids 94+ are special tokens
/// written <c>&lt;sN&gt;</c>. Counts decode calls and can run a callback on each.
/// </summary>
internal sealed class FakeTokenizer(int vocab = TestModels.Vocab, int? eos = null, int? pad = null) : ITextTokenizer
{
    private const int Printable = 94;

    public Action<int>? OnDecode { get; set; }

    public int DecodeCalls { get; private set; }

    public int VocabularySize => vocab;
    public int? BosTokenId => null;
    public int? EosTokenId => eos;
    public int? PadTokenId => pad;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => text.Select(c => c - '!').ToArray();

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        DecodeCalls++;
        OnDecode?.Invoke(DecodeCalls);
        return string.Concat(ids.Where(i => !(skipSpecialTokens && IsSpecialToken(i))).Select(IdToToken));
    }

    public int? TokenToId(string token) => token.Length == 1 && token[0] - '!' is >= 0 and < Printable ? token[0] - '!' : null;

    public string? IdToToken(int id) => id < 0 || id >= vocab ? null : id < Printable ? ((char)('!' + id)).ToString() : $"<s{id}>";

    public bool IsSpecialToken(int id) => id >= Printable;
}
