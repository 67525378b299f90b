using Cipo.Text;
using Cipo.TorchSharp;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Policy;
using Cipo.TorchSharp.Stages;
using Cipo.TorchSharp.Training;
using static TorchSharp.torch;

namespace Cipo.Testing;

/// <summary>
/// A tiny word-level reasoning model trained from scratch on six facts with short chains of thought, for the end-to-end
/// tests of the engine and the CLI. One source file, linked into each test project that needs it.
/// </summary>
internal static class TinyReasoningModel
{
    /// <summary>The facts: question, reasoning trace, answer.</summary>
    public static readonly (string Question, string Trace, string Answer)[] Facts =
    [
        ("Where was Ada Quill born ?", "Ada Quill was born in Milbrook .", "Milbrook"),
        ("Where was Boris Venn born ?", "Boris Venn was born in Tessaria .", "Tessaria"),
        ("Where was Cora Lind born ?", "Cora Lind was born in Dunmere .", "Dunmere"),
        ("What does Ada Quill do ?", "Ada Quill works as a glassmaker .", "glassmaker"),
        ("What does Boris Venn do ?", "Boris Venn works as a cartographer .", "cartographer"),
        ("What does Cora Lind do ?", "Cora Lind works as a beekeeper .", "beekeeper"),
    ];

    /// <summary>Trains the model (deterministic: seed 0) and wraps it with its word tokenizer and the plain format.</summary>
    public static TorchSharpPolicy Train()
    {
        var format = PlainReasoningPromptFormat.Instance;
        string[] texts = Facts.Select(f => format.FormatPrompt(f.Question) + format.FormatCompletion(f.Trace, f.Answer)).ToArray();
        var generatorDefaults = new SelfCounterfactualGeneratorOptions();
        WordTokenizer words = WordTokenizer.Build([.. texts, generatorDefaults.TemplateReasoning, generatorDefaults.TemplateAnswer]);
        var model = new CausalLM(DecoderConfig.Small(words.VocabularySize, hiddenSize: 64, layers: 2, heads: 4, kvHeads: 2)).InitializeWeights(seed: 0);
        manual_seed(0);
        using (var optimizer = new AdamWOptimizer(model.parameters(), 3e-3))
        {
            long[][] encoded = texts.Select(t => words.Encode(t).Select(i => (long)i).ToArray()).ToArray();
            for (int step = 0; step < 200; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                Tensor loss = zeros(1);
                foreach (long[] ids in encoded)
                {
                    Tensor input = tensor(ids).unsqueeze(0);
                    Tensor logits = model.forward(input.narrow(1, 0, ids.Length - 1));
                    loss = loss.Plus(nn.functional.cross_entropy(logits.view(-1, words.VocabularySize), input.narrow(1, 1, ids.Length - 1).reshape(-1)));
                }
                loss.DividedBy((long)encoded.Length).backward();
                optimizer.Step();
            }
        }
        model.eval();
        return new TorchSharpPolicy(model, words, format);
    }
}
