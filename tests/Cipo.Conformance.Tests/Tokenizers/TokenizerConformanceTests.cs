using System.Collections.Concurrent;
using System.Text.Json;
using Cipo.Conformance.Tests.Infrastructure;
using Cipo.Text;

namespace Cipo.Conformance.Tests.Tokenizers;

/// <summary>
/// Every case of <c>tokenizer-cases.json</c>, for every tokenizer named there: the ids must be exactly the reference ids
/// (Hugging Face semantics, add_special_tokens=false, special tokens in the text matched), and decoding the reference
/// ids must give the reference text. Rows are (tokenizer name, case index) so each case is a test of its own and new
/// cases or tokenizers need no code change.
/// </summary>
public sealed class TokenizerConformanceTests
{
    private static readonly Lazy<Dictionary<string, TokenizerCase[]>> s_cases = new(ReadCases);
    private static readonly ConcurrentDictionary<string, Lazy<HuggingFaceTokenizer>> s_tokenizers = new();

    public static IEnumerable<object[]> Cases() =>
        s_cases.Value.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => Enumerable.Range(0, kv.Value.Length).Select(i => new object[] { kv.Key, i }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_ReferenceCase_GivesReferenceIds(string tokenizer, int caseIndex)
    {
        TokenizerCase c = s_cases.Value[tokenizer][caseIndex];

        IReadOnlyList<int> ids = Tokenizer(tokenizer).Encode(c.Text);

        ids.Should().Equal(c.Ids, $"{tokenizer}#{caseIndex} {JsonSerializer.Serialize(c.Text)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_ReferenceIds_GivesReferenceText(string tokenizer, int caseIndex)
    {
        TokenizerCase c = s_cases.Value[tokenizer][caseIndex];

        string decoded = Tokenizer(tokenizer).Decode(c.Ids);

        decoded.Should().Be(c.Decoded, $"{tokenizer}#{caseIndex}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeOfEncode_ReferenceText_GivesNormalizedText(string tokenizer, int caseIndex)
    {
        TokenizerCase c = s_cases.Value[tokenizer][caseIndex];
        HuggingFaceTokenizer t = Tokenizer(tokenizer);
        // Qwen3 normalizes to NFC; DeepSeek-V3 has no normalizer, so its round trip is exact.
        string expected = t.Model.Normalizer?.Normalize(c.Text) ?? c.Text;

        string roundTrip = t.Decode(t.Encode(c.Text));

        roundTrip.Should().Be(expected, $"{tokenizer}#{caseIndex}");
    }

    [Fact]
    public void Load_ConformanceTokenizers_HaveConfigSpecialTokens()
    {
        foreach (string name in s_cases.Value.Keys)
        {
            HuggingFaceTokenizer t = Tokenizer(name);
            t.VocabularySize.Should().BeGreaterThan(100_000, name);
            t.EosTokenId.Should().NotBeNull(name);
        }
    }

    private static HuggingFaceTokenizer Tokenizer(string name) =>
        s_tokenizers.GetOrAdd(name, n => new Lazy<HuggingFaceTokenizer>(
            () => HuggingFaceTokenizer.FromFolder(ConformanceDirectory.PathOf("tokenizers", n)),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static Dictionary<string, TokenizerCase[]> ReadCases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(ConformanceDirectory.PathOf("tokenizer-cases.json")));
        var result = new Dictionary<string, TokenizerCase[]>(StringComparer.Ordinal);
        foreach (JsonProperty tokenizer in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            result[tokenizer.Name] = tokenizer.Value.EnumerateArray()
                .Select(c => new TokenizerCase(
                    c.GetProperty("text").GetString()!,
                    c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
                    c.GetProperty("decoded").GetString()!))
                .ToArray();
        }
        return result;
    }

    private sealed record TokenizerCase(string Text, int[] Ids, string Decoded);
}
