using System.Text.Json.Nodes;
using Cipo.TorchSharp.Modeling;

namespace Cipo.TorchSharp.Tests.Modeling;

public sealed class DecoderConfigTests
{
    private static JsonObject Llama() => new()
    {
        ["model_type"] = "llama",
        ["vocab_size"] = 128,
        ["hidden_size"] = 32,
        ["intermediate_size"] = 64,
        ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 2,
        ["rms_norm_eps"] = 1e-5,
        ["rope_theta"] = 500000.0,
        ["eos_token_id"] = new JsonArray(1, 2),
    };

    [Fact]
    public void Parse_Llama_ReadsEveryKeyAndDerivesHeadDim()
    {
        DecoderConfig c = DecoderConfig.Parse(Llama(), "config.json");
        c.HeadDim.Should().Be(8);
        c.NumKeyValueHeads.Should().Be(2);
        c.RopeTheta.Should().Be(500000);
        c.EosTokenIds.Should().Equal(1, 2);
        c.QkvBias.Should().BeFalse();
        c.QkNorm.Should().BeFalse();
        c.TieWordEmbeddings.Should().BeFalse();
    }

    [Fact]
    public void Parse_Qwen2_HasQkvBiasButNoOutputBias()
    {
        JsonObject o = Llama();
        o["model_type"] = "qwen2";
        DecoderConfig c = DecoderConfig.Parse(o, "config.json");
        c.QkvBias.Should().BeTrue();
        c.OutputBias.Should().BeFalse();
        c.QkNorm.Should().BeFalse();
    }

    [Fact]
    public void Parse_Qwen3_HasQkNormAndUntiedByDefaultAsTransformers()
    {
        JsonObject o = Llama();
        o["model_type"] = "qwen3";
        DecoderConfig c = DecoderConfig.Parse(o, "config.json");
        c.QkNorm.Should().BeTrue();
        c.TieWordEmbeddings.Should().BeFalse();
        o["tie_word_embeddings"] = true;
        DecoderConfig.Parse(o, "config.json").TieWordEmbeddings.Should().BeTrue();
    }

    [Fact]
    public void Parse_UnknownModelType_ThrowsNamingTheKeyAndValue()
    {
        JsonObject o = Llama();
        o["model_type"] = "mamba";
        Action act = () => DecoderConfig.Parse(o, "/m/config.json");
        act.Should().Throw<NotSupportedException>().WithMessage("/m/config.json: model_type 'mamba' is not supported (supported: llama, qwen2, qwen3).");
    }

    [Fact]
    public void Parse_MissingHiddenSize_ThrowsNamingTheKey()
    {
        JsonObject o = Llama();
        o.Remove("hidden_size");
        Action act = () => DecoderConfig.Parse(o, "config.json");
        act.Should().Throw<InvalidDataException>().WithMessage("config.json: required key 'hidden_size' is missing.");
    }

    [Fact]
    public void Parse_MistypedValue_ThrowsNamingTheKey()
    {
        JsonObject o = Llama();
        o["num_hidden_layers"] = "two";
        Action act = () => DecoderConfig.Parse(o, "config.json");
        act.Should().Throw<InvalidDataException>().WithMessage("config.json: key 'num_hidden_layers' must be an integer, got \"two\".");
    }

    [Fact]
    public void Parse_HeadsNotMultipleOfKvHeads_Throws()
    {
        JsonObject o = Llama();
        o["num_key_value_heads"] = 3;
        Action act = () => DecoderConfig.Parse(o, "config.json");
        act.Should().Throw<InvalidDataException>().WithMessage("*num_attention_heads (4) must be a multiple of num_key_value_heads (3)*");
    }

    [Theory]
    [InlineData("yarn")]
    [InlineData("dynamic")]
    public void Parse_UnsupportedRopeScaling_ThrowsNamingTheKey(string type)
    {
        JsonObject o = Llama();
        o["rope_scaling"] = new JsonObject { ["rope_type"] = type, ["factor"] = 4.0 };
        Action act = () => DecoderConfig.Parse(o, "config.json");
        act.Should().Throw<NotSupportedException>().WithMessage($"config.json: rope_scaling.rope_type '{type}' is not supported*");
    }

    [Fact]
    public void Parse_SlidingWindow_IsRejected()
    {
        JsonObject o = Llama();
        o["model_type"] = "qwen2";
        o["use_sliding_window"] = true;
        Action act = () => DecoderConfig.Parse(o, "config.json");
        act.Should().Throw<NotSupportedException>().WithMessage("*use_sliding_window*");
    }

    [Fact]
    public void Load_InvalidJson_ThrowsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cipo-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"model_type\": \"llama\", ");
        try
        {
            Action act = () => DecoderConfig.Load(path);
            act.Should().Throw<InvalidDataException>().WithMessage($"{path}: not valid JSON*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToJson_ThenParse_RoundTripsTheArchitecture()
    {
        JsonObject o = Llama();
        o["rope_scaling"] = new JsonObject
        {
            ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0,
            ["original_max_position_embeddings"] = 8192,
        };
        DecoderConfig c = DecoderConfig.Parse(o, "config.json");
        DecoderConfig again = DecoderConfig.Parse(c.ToJson(), "again");
        again.Should().BeEquivalentTo(c);
    }
}
