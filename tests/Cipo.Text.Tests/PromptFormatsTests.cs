namespace Cipo.Text.Tests;

public sealed class PromptFormatsTests
{
    [Fact]
    public void Names_BuiltInFormats_AreListed()
    {
        PromptFormats.Names.Should().Equal("qwen3", "deepseek-r1", "llama3", "plain");
    }

    [Theory]
    [InlineData("qwen3", "qwen3")]
    [InlineData("QWEN3", "qwen3")]
    [InlineData("chatml", "qwen3")]
    [InlineData("deepseek", "deepseek-r1")]
    [InlineData("llama-3", "llama3")]
    [InlineData("word", "plain")]
    public void Get_NameOrAlias_ReturnsFormat(string name, string expected)
    {
        PromptFormats.Get(name).Name.Should().Be(expected);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        Action act = () => PromptFormats.Get("gemma");

        act.Should().Throw<ArgumentException>().WithMessage("*qwen3, deepseek-r1, llama3, plain*");
        PromptFormats.TryGet("gemma", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("qwen3", "qwen3")]
    [InlineData("qwen2", "qwen3")]
    [InlineData("deepseek_v3", "deepseek-r1")]
    [InlineData("llama", "llama3")]
    public void DetectFromModelType_KnownType_ReturnsFormat(string modelType, string expected)
    {
        PromptFormats.DetectFromModelType(modelType)!.Name.Should().Be(expected);
    }

    [Fact]
    public void DetectFromModelType_UnknownType_ReturnsNull()
    {
        PromptFormats.DetectFromModelType("gpt2").Should().BeNull();
    }

    [Theory]
    [InlineData("""{ "chat_template": "{{'<｜User｜>' + message['content']}}" }""", "deepseek-r1")]
    [InlineData("""{ "chat_template": "{{'<\uff5cAssistant\uff5c>'}}" }""", "deepseek-r1")]
    [InlineData("""{ "eos_token": "<|im_end|>", "chat_template": "<|im_start|>{{ m }}" }""", "qwen3")]
    [InlineData("""{ "chat_template": [ { "name": "default", "template": "<|start_header_id|>" } ] }""", "llama3")]
    public void DetectFromTokenizerConfig_ChatTemplateMarkers_ReturnFormat(string json, string expected)
    {
        using var folder = new TempFolder();

        PromptFormats.DetectFromTokenizerConfig(folder.Write("tokenizer_config.json", json))!.Name.Should().Be(expected);
    }

    [Fact]
    public void Detect_DistilledModelFolder_PrefersTokenizerConfigOverModelType()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", """{ "model_type": "qwen2" }""");
        folder.Write("tokenizer_config.json", """{ "chat_template": "<｜User｜>{{ m }}<｜Assistant｜>" }""");

        PromptFormats.Detect(folder.Path)!.Name.Should().Be("deepseek-r1");
    }

    [Fact]
    public void Detect_FolderWithOnlyConfig_UsesModelType()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", """{ "model_type": "llama" }""");

        PromptFormats.Detect(folder.Path)!.Name.Should().Be("llama3");
    }

    [Fact]
    public void Detect_EmptyFolder_ReturnsNull()
    {
        using var folder = new TempFolder();

        PromptFormats.Detect(folder.Path).Should().BeNull();
    }
}
