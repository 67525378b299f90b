// Loads a Hugging Face checkpoint folder and generates a reasoning trace and an answer; without --model it trains a
// tiny model from scratch on four facts (a few seconds on a laptop CPU), saves it in HF layout, reloads it and asks it.
//
//   dotnet run -c Release --project samples/LoadAndGenerate
//   dotnet run -c Release --project samples/LoadAndGenerate -- --model /models/Qwen3-0.6B --prompt "What is 17 * 23?" --device cpu
using Cipo.Text;
using Cipo.TorchSharp.Checkpoints;
using Cipo.TorchSharp.Generation;
using Cipo.TorchSharp.Modeling;
using Cipo.TorchSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

string? modelDir = Arg("--model");
string device = Arg("--device") ?? "cpu";
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

if (modelDir is not null)
{
    using CausalLM model = HfCheckpoint.Load(modelDir, new ModelLoadOptions { Device = device });
    var tokenizer = HuggingFaceTokenizer.FromFolder(modelDir);
    IReasoningPromptFormat format = PromptFormats.Detect(modelDir) ?? Qwen3PromptFormat.Instance;
    string prompt = format.FormatPrompt(Arg("--prompt") ?? "What is 17 * 23?");
    GenerationResult result = TokenGenerator.GenerateText(model, tokenizer, [prompt],
        new GenerationOptions { MaxNewTokens = int.Parse(Arg("--max-new-tokens") ?? "256"), StopStrings = format.StopStrings }, cts.Token)[0];
    ReasoningOutput output = format.ParseCompletion(result.Text ?? "");
    Console.WriteLine($"format: {format.Name}, finish: {result.FinishReason}, tokens: {result.TokenIds.Count}");
    Console.WriteLine($"reasoning: {output.ReasoningTrace}\nanswer: {output.Answer}");
    return 0;
}

// 1. A tiny world of facts, each written as a question with a short chain of thought.
var format0 = PlainReasoningPromptFormat.Instance;
(string Question, string Trace, string Answer)[] facts =
[
    ("Where was Ada Quill born ?", "Ada Quill was born in Milbrook .", "Milbrook"),
    ("Where was Boris Venn born ?", "Boris Venn was born in Tessaria .", "Tessaria"),
    ("What does Ada Quill do ?", "Ada Quill works as a glassmaker .", "glassmaker"),
    ("What does Boris Venn do ?", "Boris Venn works as a cartographer .", "cartographer"),
];
string[] texts = facts.Select(f => format0.FormatPrompt(f.Question) + format0.FormatCompletion(f.Trace, f.Answer)).ToArray();
WordTokenizer words = WordTokenizer.Build(texts);

// 2. A fresh decoder of the same architecture as real checkpoints, trained from scratch on those texts.
using var fresh = new CausalLM(DecoderConfig.Small(words.VocabularySize, hiddenSize: 64, layers: 2, heads: 4, kvHeads: 2)).InitializeWeights(seed: 0);
using (var optimizer = optim.AdamW(fresh.parameters(), lr: 3e-3))
{
    for (int step = 1; step <= 150; step++)
    {
        cts.Token.ThrowIfCancellationRequested();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = zeros(1);
        foreach (string text in texts)
        {
            long[] ids = words.Encode(text).Select(i => (long)i).ToArray();
            Tensor input = tensor(ids).unsqueeze(0);
            Tensor logits = fresh.forward(input.narrow(1, 0, ids.Length - 1));
            loss = loss + nn.functional.cross_entropy(logits.view(-1, words.VocabularySize), input.narrow(1, 1, ids.Length - 1).reshape(-1));
        }
        (loss / texts.Length).backward();
        optimizer.step();
        if (step % 50 == 0)
        {
            Console.WriteLine($"step {step}: loss {(loss / texts.Length).item<float>():F4}");
        }
    }
}

// 3. Save in Hugging Face layout (config.json + model.safetensors) and load it back.
string folder = Path.Combine(Path.GetTempPath(), "cipo-sample-" + Environment.ProcessId);
HfCheckpoint.Save(fresh, folder);
words.Save(Path.Combine(folder, "word-tokenizer.json"));
using CausalLM reloaded = HfCheckpoint.Load(folder);
Console.WriteLine($"saved and reloaded {folder} ({reloaded.parameters().Sum(p => p.numel()):N0} parameters)");

// 4. Ask every question in one left-padded batch, greedy, through the KV cache; split trace and answer.
var prompts = facts.Select(f => format0.FormatPrompt(f.Question)).ToArray();
IReadOnlyList<GenerationResult> results = TokenGenerator.GenerateText(reloaded, words, prompts,
    new GenerationOptions { MaxNewTokens = 32, StopStrings = format0.StopStrings }, cts.Token);
int correct = 0;
for (int i = 0; i < facts.Length; i++)
{
    ReasoningOutput output = format0.ParseCompletion(results[i].Text ?? "");
    correct += output.Answer == facts[i].Answer ? 1 : 0;
    Console.WriteLine($"Q: {facts[i].Question}\n   reasoning: {output.ReasoningTrace}\n   answer: {output.Answer} ({results[i].FinishReason})");
}
Console.WriteLine($"{correct}/{facts.Length} answers correct");

// 5. Log-probability of a completion given its prompt, the quantity DPO compares.
foreach (string answer in new[] { "Milbrook", "Tessaria" })
{
    string completion = format0.FormatCompletion($"Ada Quill was born in {answer} .", answer);
    int promptLength = words.Encode(prompts[0]).Count;
    long[] all = words.Encode(prompts[0] + completion).Select(i => (long)i).ToArray();
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    Tensor ids = tensor(all).unsqueeze(0);
    Tensor completionMask = (arange(all.Length) >= promptLength).to(ScalarType.Int64).unsqueeze(0);
    var (_, sum, _) = CompletionLogProbs.Compute(reloaded, ids, ones_like(ids), completionMask);
    Console.WriteLine($"log p(completion with '{answer}' | Where was Ada Quill born?) = {sum.item<float>():F3}");
}
Directory.Delete(folder, recursive: true);
return 0;

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
