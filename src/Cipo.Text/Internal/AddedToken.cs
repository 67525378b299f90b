namespace Cipo.Text.Internal;

/// <summary>One entry of <c>added_tokens</c> in <c>tokenizer.json</c>.</summary>
internal sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool Normalized,
    bool SingleWord,
    bool LeftStrip,
    bool RightStrip);
