namespace Cipo.Text.Tests;

public sealed class PromptFormatTests
{
    public static TheoryData<string> FormatNames => new(PromptFormats.Names);

    [Fact]
    public void Qwen3_FormatPrompt_IsChatMlWithOpenThinkBlock()
    {
        var format = Qwen3PromptFormat.Instance;

        format.FormatPrompt("Where was Ada born?").Should().Be(
            "<|im_start|>user\nWhere was Ada born?<|im_end|>\n<|im_start|>assistant\n<think>\n");
        format.FormatPrompt("Q", "Be brief.").Should().Be(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n");
        format.FormatCompletion("She was born in London.", "London").Should().Be(
            "She was born in London.\n</think>\n\nLondon<|im_end|>");
        format.StopStrings.Should().Contain("<|im_end|>");
    }

    [Fact]
    public void DeepSeekR1_FormatPrompt_UsesFullWidthMarkers()
    {
        var format = DeepSeekR1PromptFormat.Instance;

        format.FormatPrompt("Q").Should().Be("<\uFF5Cbegin\u2581of\u2581sentence\uFF5C><\uFF5CUser\uFF5C>Q<\uFF5CAssistant\uFF5C><think>\n");
        format.FormatPrompt("Q", "S").Should().Be("<｜begin▁of▁sentence｜>S<｜User｜>Q<｜Assistant｜><think>\n");
        format.FormatCompletion("t", "a").Should().Be("t\n</think>\n\na<｜end▁of▁sentence｜>");
        format.StopStrings.Should().Equal("<｜end▁of▁sentence｜>");
    }

    [Fact]
    public void Llama3_FormatPrompt_UsesHeadersAndOpenThinkBlock()
    {
        var format = Llama3PromptFormat.Instance;

        format.FormatPrompt("Q").Should().Be(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>\n");
        format.FormatPrompt("Q", "S").Should().Be(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n<think>\n");
        format.FormatCompletion("t", "a").Should().Be("t\n</think>\n\na<|eot_id|>");
    }

    [Fact]
    public void Plain_FormatPromptAndCompletion_AreSimpleLines()
    {
        var format = PlainReasoningPromptFormat.Instance;

        format.FormatPrompt("What is 2+3?").Should().Be("Question: What is 2+3?\n<think>\n");
        format.FormatPrompt("Q", "S").Should().Be("System: S\nQuestion: Q\n<think>\n");
        format.FormatCompletion("2 plus 3 is 5.", "5").Should().Be("2 plus 3 is 5.\n</think>\nAnswer: 5\n<eos>");
    }

    [Fact]
    public void Plain_PromptAndCompletion_RoundTripThroughWordTokenizer()
    {
        var format = PlainReasoningPromptFormat.Instance;
        string text = format.FormatPrompt("What is 2+3?") + format.FormatCompletion("2 plus 3 is 5.", "5");
        var tokenizer = WordTokenizer.Build([text]);

        IReadOnlyList<int> ids = tokenizer.Encode(text);

        tokenizer.Decode(ids).Should().Be(text);
        ids.Should().Contain([tokenizer.ThinkStartTokenId, tokenizer.ThinkEndTokenId, tokenizer.EosTokenId!.Value]);
        ids.Should().NotContain(tokenizer.UnknownTokenId);
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void ParseCompletion_FormattedCompletion_GivesTraceAndAnswerBack(string name)
    {
        IReasoningPromptFormat format = PromptFormats.Get(name);

        ReasoningOutput output = format.ParseCompletion(format.FormatCompletion("Step one.\nStep two.", "42"));

        output.Should().Be(new ReasoningOutput("Step one.\nStep two.", "42", IsWellFormed: true));
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void ParseCompletion_ReopenedThinkTag_IsStripped(string name)
    {
        IReasoningPromptFormat format = PromptFormats.Get(name);

        ReasoningOutput output = format.ParseCompletion("<think>\nreasoning\n</think>\n\nanswer");

        output.ReasoningTrace.Should().Be("reasoning");
        output.Answer.Should().Be("answer");
        output.IsWellFormed.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void ParseCompletion_NoClosingTag_IsTraceOnlyAndMalformed(string name)
    {
        IReasoningPromptFormat format = PromptFormats.Get(name);

        ReasoningOutput output = format.ParseCompletion("  I am still thinking about it");

        output.Should().Be(new ReasoningOutput("I am still thinking about it", string.Empty, IsWellFormed: false));
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void ParseCompletion_EmptyAnswer_IsMalformed(string name)
    {
        IReasoningPromptFormat format = PromptFormats.Get(name);

        ReasoningOutput output = format.ParseCompletion(format.FormatCompletion("thought", ""));

        output.ReasoningTrace.Should().Be("thought");
        output.Answer.Should().BeEmpty();
        output.IsWellFormed.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(FormatNames))]
    public void ParseCompletion_EmptyCompletion_IsMalformed(string name)
    {
        PromptFormats.Get(name).ParseCompletion(string.Empty).Should().Be(new ReasoningOutput("", "", false));
    }

    [Fact]
    public void ParseCompletion_TextAfterStopString_IsIgnored()
    {
        ReasoningOutput output = Qwen3PromptFormat.Instance.ParseCompletion("t\n</think>\n\nLondon<|im_end|>\n<|im_start|>user\nmore");

        output.Should().Be(new ReasoningOutput("t", "London", true));
    }

    [Fact]
    public void ParseCompletion_TwoClosingTags_AnswerAfterLastAndMalformed()
    {
        ReasoningOutput output = Qwen3PromptFormat.Instance.ParseCompletion("a</think>b</think>c");

        output.Should().Be(new ReasoningOutput("ab", "c", false));
    }

    [Fact]
    public void ParseCompletion_NewThinkBlockAfterAnswer_IsCutAndMalformed()
    {
        ReasoningOutput output = DeepSeekR1PromptFormat.Instance.ParseCompletion("t</think>\n\n42\n<think>again");

        output.Should().Be(new ReasoningOutput("t", "42", false));
    }

    [Fact]
    public void ParseCompletion_PlainAnswerPrefix_IsRemoved()
    {
        ReasoningOutput output = PlainReasoningPromptFormat.Instance.ParseCompletion("2 plus 3 is 5.\n</think>\nAnswer: 5\n<eos><pad><pad>");

        output.Should().Be(new ReasoningOutput("2 plus 3 is 5.", "5", true));
    }
}
