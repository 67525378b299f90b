using System.CommandLine;

namespace Cipo.Cli;

/// <summary>The options of the model folder and the device, declared once for <c>cipo unlearn</c> and <c>cipo audit</c>.</summary>
internal static class ModelFlags
{
    public static readonly Option<string?> Model = CliCommand.Text("--model", "DIR", "Hugging Face model folder (config.json, *.safetensors, tokenizer.json or word-tokenizer.json)");
    public static readonly Option<string?> Device = CliCommand.Text("--device", "NAME", "cpu (default), cuda or cuda:N");
}
