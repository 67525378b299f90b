using System.Text.Json;

namespace Cipo.Cli.Tests;

public sealed class AuditCommandTests
{
    [Theory]
    [InlineData("{\"id\": \"a\", \"prompt\": \"Where was Ada Quill born ?\", \"kind\": \"forget\", \"forbidden\": [\"Milbrook\"]}\n{\"id\": \"b\", \"prompt\": \"q\", \"kind\": \"secret\"}\n",
        "probes.jsonl line 2: field 'kind' must be one of forget, retain, reasoning, holdout, member, verbmem, knowmem")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\"}\n", "probes.jsonl line 1: field 'forbidden' must hold at least one non-empty string for a forget probe")]
    [InlineData("\n\n{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"retain\"}\n", "probes.jsonl line 3: field 'expected_answer' is required for a retain probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"reasoning\", \"expected_answer\": \"4\"}\n{\"id\": \"a\", \"prompt\": \"r\", \"kind\": \"reasoning\", \"expected_answer\": \"5\"}\n",
        "probes.jsonl line 2: duplicate id 'a' (first on line 1)")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"]\n", "probes.jsonl line 1: invalid JSON")]
    public async Task MalformedProbeFile_ExitsTwo_NamingLineAndField_AndLeavesOutUntouched(string content, string message)
    {
        using var temp = new TempFolder();
        string probes = temp.File("probes.jsonl", content);
        string model = temp.Combine("model");
        Directory.CreateDirectory(model);
        string output = temp.Combine("out");

        (int code, _, string stderr) = await Cli.RunAsync("audit", "--model", model, "--probes", probes, "--out", output);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain(message);
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task MissingRequiredOptions_ExitTwo()
    {
        (int code, _, string stderr) = await Cli.RunAsync("audit", "--model", "m");
        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("missing required options --probes, --out");
    }

    [Fact]
    public async Task Help_DescribesTheProbeSchema()
    {
        (int code, string stdout, _) = await Cli.RunAsync("audit", "--help");
        code.Should().Be(ExitCodes.Success);
        stdout.Should().Contain("--probes FILE").And.Contain("forget|retain|reasoning|holdout");
    }

    [Fact]
    public async Task Audit_OfTheTinyModel_WritesAuditJson()
    {
        using var temp = new TempFolder();
        var facts = TinyModel.Facts;
        string Line(object o) => JsonSerializer.Serialize(o);
        string probes = temp.File("probes.jsonl", string.Join("\n",
            Line(new { id = "f1", prompt = facts[0].Question, kind = "forget", forbidden = new[] { facts[0].Answer }, reference_trace = facts[0].Trace, perturbed_answers = new[] { facts[1].Answer }, target_id = "ada" }),
            Line(new { id = "f2", prompt = facts[4].Question, kind = "forget", forbidden = new[] { facts[4].Answer }, group = "paraphrase", target_id = "boris" }),
            Line(new { id = "r1", prompt = facts[2].Question, kind = "retain", expected_answer = facts[2].Answer, reference_trace = facts[2].Trace }),
            Line(new { id = "h1", prompt = "Where was Dara Moss born ?", kind = "holdout", expected_answer = "Dunmere", reference_trace = "Dara Moss was born in Dunmere ." })));
        string output = temp.Combine("out");

        (int code, string stdout, string stderr) = await Cli.RunAsync("audit", "--model", TinyModel.Folder, "--probes", probes, "--out", output,
            "--k", "3", "--max-new-tokens", "24", "--threads", "1");

        code.Should().Be(ExitCodes.Success, stderr);
        stdout.Should().Contain("leak@k trace").And.Contain("audit.json");
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "audit.json")));
        JsonElement root = doc.RootElement;
        root.GetProperty("command").GetString().Should().Be("audit");
        root.GetProperty("model").GetProperty("weights_sha256").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        root.GetProperty("probes").GetProperty("sha256").GetString().Should().MatchRegex("^[0-9a-f]{64}$");
        root.GetProperty("probes").GetProperty("by_kind").GetProperty("forget").GetInt32().Should().Be(2);
        JsonElement report = root.GetProperty("report");
        report.GetProperty("forget_samples").GetInt32().Should().Be(2 * (1 + 3));
        JsonElement metrics = report.GetProperty("metrics");
        metrics.GetProperty("leak/all/probes").GetDouble().Should().Be(2);
        foreach (string name in new[] { "leak/all/greedy/any", "leak/all/at_k/any", "leak/direct/greedy/trace", "utility/retain_accuracy", "mia/loss_auc", "knowledge/forget_truth_ratio" })
        {
            metrics.GetProperty(name).GetDouble().Should().BeInRange(0, 1, name);
        }
        // The tiny model still knows its facts: the direct probe leaks greedily.
        metrics.GetProperty("leak/direct/greedy/any").GetDouble().Should().Be(1);
    }

    [Theory]
    [InlineData("{\"task\": \"city\", \"prompt\": \"q\", \"label\": \"x\", \"split\": \"dev\"}\n", "probe.jsonl line 1: field 'split' must be one of train, test")]
    [InlineData("{\"task\": \"city\", \"prompt\": \"q\", \"label\": \"x\", \"split\": \"train\"}\n{\"task\": \"job\", \"prompt\": \"r\", \"label\": \"y\", \"split\": \"test\"}\n",
        "probe.jsonl line 2: task 'job' has test lines but no train line to fit the probe on")]
    [InlineData("{\"task\": \"city\", \"prompt\": \"q\", \"split\": \"train\"}\n", "probe.jsonl line 1: field 'label'")]
    public async Task MalformedProbeData_ExitsTwo_NamingLineAndField(string content, string message)
    {
        using var temp = new TempFolder();
        string probes = temp.File("probes.jsonl", JsonSerializer.Serialize(new { id = "f", prompt = "q", kind = "forget", forbidden = new[] { "x" } }) + "\n");
        string probeData = temp.File("probe.jsonl", content);
        string output = temp.Combine("out");

        (int code, _, string stderr) = await Cli.RunAsync("audit", "--model", TinyModel.Folder, "--probes", probes, "--probe-data", probeData, "--out", output);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain(message);
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task Audit_WithProbeDataAndARelearningCurve_ReportsBoth()
    {
        using var temp = new TempFolder();
        var facts = TinyModel.Facts;
        string Line(object o) => JsonSerializer.Serialize(o);
        string probes = temp.File("probes.jsonl", string.Join("\n",
            Line(new { id = "f1", prompt = facts[0].Question, kind = "forget", forbidden = new[] { facts[0].Answer }, reference_trace = facts[0].Trace, target_id = "ada" }),
            Line(new { id = "f2", prompt = facts[4].Question, kind = "forget", forbidden = new[] { facts[4].Answer }, reference_trace = facts[4].Trace, target_id = "boris" }),
            Line(new { id = "r1", prompt = facts[2].Question, kind = "retain", expected_answer = facts[2].Answer, reference_trace = facts[2].Trace })));
        string probeData = temp.File("probe.jsonl", string.Join("\n",
            Line(new { task = "fact", prompt = facts[0].Question, label = "a", split = "train" }),
            Line(new { task = "fact", prompt = facts[2].Question, label = "b", split = "train" }),
            Line(new { task = "fact", prompt = facts[4].Question, label = "a", split = "test" })));
        string output = temp.Combine("out");

        (int code, _, string stderr) = await Cli.RunAsync("audit", "--model", TinyModel.Folder, "--probes", probes, "--probe-data", probeData, "--out", output,
            "--k", "2", "--max-new-tokens", "24", "--threads", "1", "--relearn-curve", "2,1");

        code.Should().Be(ExitCodes.Success, stderr);
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "audit.json")));
        JsonElement metrics = doc.RootElement.GetProperty("report").GetProperty("metrics");
        metrics.GetProperty("relearn/curve/steps1/leak_after").GetDouble().Should().BeInRange(0, 1);
        metrics.GetProperty("relearn/curve/steps2/leak_after").GetDouble().Should().BeInRange(0, 1);
        metrics.GetProperty("probe/best_accuracy").GetDouble().Should().BeInRange(0, 1);
        metrics.GetProperty("probe/test_examples").GetDouble().Should().Be(1);
    }
}
