using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cipo.TorchSharp.Modeling;

/// <summary>
/// The architecture of a decoder-only causal LM of the Llama / Qwen2 / Qwen3 families, read from and written to a
/// Hugging Face <c>config.json</c> with the same keys.
/// </summary>
public sealed record DecoderConfig
{
    /// <summary>The model families this decoder implements (HF <c>model_type</c>).</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["llama", "qwen2", "qwen3"];

    /// <summary>HF <c>model_type</c>: <c>llama</c>, <c>qwen2</c> or <c>qwen3</c>.</summary>
    public string ModelType { get; init; } = "llama";
    /// <summary><c>vocab_size</c>.</summary>
    public int VocabSize { get; init; }
    /// <summary><c>hidden_size</c>.</summary>
    public int HiddenSize { get; init; }
    /// <summary><c>intermediate_size</c> (SwiGLU inner width).</summary>
    public int IntermediateSize { get; init; }
    /// <summary><c>num_hidden_layers</c>.</summary>
    public int NumHiddenLayers { get; init; }
    /// <summary><c>num_attention_heads</c>.</summary>
    public int NumAttentionHeads { get; init; }
    /// <summary><c>num_key_value_heads</c> (grouped-query attention; equals the head count for plain multi-head).</summary>
    public int NumKeyValueHeads { get; init; }
    /// <summary><c>head_dim</c>; defaults to hidden_size / num_attention_heads when the file omits it.</summary>
    public int HeadDim { get; init; }
    /// <summary><c>rms_norm_eps</c>.</summary>
    public double RmsNormEps { get; init; } = 1e-6;
    /// <summary><c>rope_theta</c>.</summary>
    public double RopeTheta { get; init; } = 10000;
    /// <summary><c>rope_scaling</c> of type <c>llama3</c>, or <see langword="null"/> for plain RoPE.</summary>
    public RopeScaling? RopeScaling { get; init; }
    /// <summary><c>max_position_embeddings</c>.</summary>
    public int MaxPositionEmbeddings { get; init; } = 4096;
    /// <summary><c>tie_word_embeddings</c>: the LM head reuses <c>model.embed_tokens.weight</c>.</summary>
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q/k/v projections (always for qwen2; <c>attention_bias</c> for llama and qwen3).</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on the attention output projection (<c>attention_bias</c> for llama and qwen3; never for qwen2).</summary>
    public bool OutputBias { get; init; }
    /// <summary>Bias on the MLP projections (<c>mlp_bias</c>, llama only).</summary>
    public bool MlpBias { get; init; }
    /// <summary>Per-head RMSNorm on queries and keys before RoPE (qwen3).</summary>
    public bool QkNorm { get; init; }
    /// <summary><c>bos_token_id</c>, if any.</summary>
    public int? BosTokenId { get; init; }
    /// <summary><c>eos_token_id</c> values (HF allows a single id or a list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary><c>pad_token_id</c>, if any.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>
    /// A small fresh architecture for models trained from scratch (the embedded default model): Llama layout, untied.
    /// </summary>
    public static DecoderConfig Small(int vocabSize, int hiddenSize = 256, int layers = 4, int heads = 4, int kvHeads = 2,
        int? intermediateSize = null, int maxPositions = 1024, bool tieWordEmbeddings = false) => new DecoderConfig
    {
        ModelType = "llama",
        VocabSize = vocabSize,
        HiddenSize = hiddenSize,
        IntermediateSize = intermediateSize ?? RoundUp(hiddenSize * 8 / 3, 16),
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        HeadDim = hiddenSize / heads,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        MaxPositionEmbeddings = maxPositions,
        TieWordEmbeddings = tieWordEmbeddings,
    }.Validated("DecoderConfig.Small");

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The largest <c>config.json</c> read, in bytes (1 MiB; real ones are a few kilobytes).</summary>
    public const int MaxConfigBytes = 1 << 20;

    /// <summary>Reads and validates a HF <c>config.json</c>.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a regular file, larger than <see cref="MaxConfigBytes"/>, not valid UTF-8 JSON, or a key is missing,
    /// mistyped or out of range; the message names the file and key.
    /// </exception>
    /// <exception cref="NotSupportedException">The model type or an option is not supported; the message names the file and key.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static DecoderConfig Load(string path)
    {
        if (Internal.RegularFile.Problem(path) is { } problem && File.Exists(path))
        {
            throw new InvalidDataException($"{path}: {problem}.");
        }
        if (new FileInfo(path).Length > MaxConfigBytes)
        {
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{path}: {new FileInfo(path).Length:N0} bytes, over the {MaxConfigBytes:N0}-byte limit for a config.json."));
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new InvalidDataException($"{path}: not valid UTF-8; a config.json must be UTF-8 JSON.");
        }
        try
        {
            JsonObject root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"{path}: the top level must be a JSON object.");
            return Parse(root, path);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Thrown when a name or string is read, for an escape that is not text.
            throw new InvalidDataException($"{path}: a name or string holds an escape that is not text (a lone UTF-16 surrogate such as \\ud800): {ex.Message}", ex);
        }
    }

    /// <summary>Parses a HF config object; <paramref name="source"/> names it in error messages.</summary>
    public static DecoderConfig Parse(JsonObject root, string source)
    {
        var r = new ConfigReader(root, source);
        string modelType = r.RequiredString("model_type");
        if (!SupportedModelTypes.Contains(modelType))
        {
            throw new NotSupportedException($"{source}: model_type '{modelType}' is not supported (supported: {string.Join(", ", SupportedModelTypes)}).");
        }
        string act = r.OptionalString("hidden_act") ?? "silu";
        if (act != "silu")
        {
            throw new NotSupportedException($"{source}: hidden_act '{act}' is not supported (only 'silu', the SwiGLU MLP).");
        }
        if (r.OptionalBool("use_sliding_window") == true)
        {
            throw new NotSupportedException($"{source}: use_sliding_window = true is not supported (full attention only).");
        }
        int hidden = r.RequiredInt("hidden_size");
        int heads = r.RequiredInt("num_attention_heads");
        bool attentionBias = r.OptionalBool("attention_bias") ?? false;
        return new DecoderConfig
        {
            ModelType = modelType,
            VocabSize = r.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = r.RequiredInt("intermediate_size"),
            NumHiddenLayers = r.RequiredInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = r.OptionalInt("num_key_value_heads") ?? heads,
            HeadDim = r.OptionalInt("head_dim") ?? (heads > 0 ? hidden / heads : 0),
            RmsNormEps = r.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = r.OptionalDouble("rope_theta") ?? 10000,
            RopeScaling = r.RopeScalingOrNull("rope_scaling"),
            MaxPositionEmbeddings = r.OptionalInt("max_position_embeddings") ?? 4096,
            TieWordEmbeddings = r.OptionalBool("tie_word_embeddings") ?? false, // transformers defaults it to false for all three families
            QkvBias = modelType == "qwen2" || attentionBias,
            OutputBias = modelType != "qwen2" && attentionBias,
            MlpBias = modelType == "llama" && (r.OptionalBool("mlp_bias") ?? false),
            QkNorm = modelType == "qwen3",
            BosTokenId = r.OptionalInt("bos_token_id"),
            EosTokenIds = r.IntOrIntList("eos_token_id"),
            PadTokenId = r.OptionalInt("pad_token_id"),
        }.Validated(source);
    }

    /// <summary>Checks the numbers fit together; the message names the offending key.</summary>
    public DecoderConfig Validated(string source)
    {
        void Positive(int v, string key)
        {
            if (v <= 0)
            {
                throw new InvalidDataException($"{source}: {key} must be positive, got {v}.");
            }
        }
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if ((long)NumAttentionHeads * HeadDim > int.MaxValue)
        {
            throw new InvalidDataException($"{source}: num_attention_heads × head_dim ({NumAttentionHeads} × {HeadDim}) is too large.");
        }
        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new InvalidDataException($"{source}: num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads}).");
        }
        if (HeadDim % 2 != 0)
        {
            throw new InvalidDataException($"{source}: head_dim must be even for rotary embeddings, got {HeadDim}.");
        }
        if (!(RmsNormEps > 0))
        {
            throw new InvalidDataException($"{source}: rms_norm_eps must be positive, got {RmsNormEps}.");
        }
        if (!(RopeTheta > 0))
        {
            throw new InvalidDataException($"{source}: rope_theta must be positive, got {RopeTheta}.");
        }
        return this;
    }

    /// <summary>The HF <c>config.json</c> object for this architecture (what transformers and vLLM read).</summary>
    public JsonObject ToJson()
    {
        string arch = ModelType switch { "qwen2" => "Qwen2ForCausalLM", "qwen3" => "Qwen3ForCausalLM", _ => "LlamaForCausalLM" };
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(arch),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["tie_word_embeddings"] = TieWordEmbeddings,
        };
        if (ModelType != "qwen2")
        {
            o["attention_bias"] = QkvBias;
        }
        if (ModelType == "llama")
        {
            o["mlp_bias"] = MlpBias;
        }
        if (RopeScaling is { } s)
        {
            o["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = s.Factor,
                ["low_freq_factor"] = s.LowFrequencyFactor,
                ["high_freq_factor"] = s.HighFrequencyFactor,
                ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
            };
        }
        if (BosTokenId is { } bos)
        {
            o["bos_token_id"] = bos;
        }
        if (EosTokenIds.Count == 1)
        {
            o["eos_token_id"] = EosTokenIds[0];
        }
        else if (EosTokenIds.Count > 1)
        {
            o["eos_token_id"] = new JsonArray(EosTokenIds.Select(i => (JsonNode)i).ToArray());
        }
        if (PadTokenId is { } pad)
        {
            o["pad_token_id"] = pad;
        }
        return o;
    }
}
