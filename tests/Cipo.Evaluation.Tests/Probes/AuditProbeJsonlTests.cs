using Cipo.Data;
using Cipo.Evaluation.Probes;

namespace Cipo.Evaluation.Tests.Probes;

public sealed class AuditProbeJsonlTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cipo-probes-" + Guid.NewGuid().ToString("N"));

    public AuditProbeJsonlTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string content)
    {
        string path = Path.Combine(_folder, "probes.jsonl");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task RoundTrip_KeepsEveryField()
    {
        AuditProbe[] probes =
        [
            new() { Id = "f", Prompt = "Where was Ada born ?", Kind = ProbeKind.Forget, Forbidden = ["Milbrook", "Mil"], ExpectedAnswer = "Milbrook",
                Group = "paraphrase", TargetId = "ada", ReferenceTrace = "Ada was born in Milbrook .", PerturbedAnswers = ["Dunmere"],
                ParaphrasedAnswer = "the town of Milbrook", ReferenceTruthRatio = 0.75, ControlPrompts = ["Where was Bora Lint born ?"], Replacement = "Velmar" },
            new() { Id = "r", Prompt = "2 + 2 ?", Kind = ProbeKind.Reasoning, ExpectedAnswer = "4" },
            new() { Id = "h", Prompt = "Where was Dara born ?", Kind = ProbeKind.Holdout, ExpectedAnswer = "Tessaria" },
            new() { Id = "m", Prompt = "Where was Ada born ?", Kind = ProbeKind.Member, ExpectedAnswer = "Milbrook", ReferenceTrace = "Ada was born in Milbrook ." },
            new() { Id = "p", Prompt = "Continue: The lamps of Karsk", Kind = ProbeKind.Forget, Forbidden = ["old keeper"], TargetId = "lamps",
                Passage = "The lamps of Karsk were lit by hand each dusk by the old keeper." },
            new() { Id = "vf", Prompt = "The lamps of Karsk were lit", Kind = ProbeKind.VerbMem, ExpectedAnswer = "by hand each dusk by the old keeper." },
            new() { Id = "vr", Prompt = "The bells of Velmar rang", Kind = ProbeKind.VerbMem, ExpectedAnswer = "at noon for the market.", Group = "retain" },
            new() { Id = "kf", Prompt = "Who lit the lamps of Karsk?", Kind = ProbeKind.KnowMem, ExpectedAnswer = "the old keeper", Group = "forget" },
        ];
        string path = Path.Combine(_folder, "out.jsonl");
        await AuditProbeJsonl.WriteAsync(path, probes);
        (await File.ReadAllTextAsync(path)).Should().Contain("\"expected_answer\"").And.Contain("\"perturbed_answers\"").And.Contain("\"target_id\"")
            .And.Contain("\"controls\"").And.Contain("\"kind\":\"member\"").And.Contain("\"replacement\":\"Velmar\"")
            .And.Contain("\"kind\":\"verbmem\"").And.Contain("\"kind\":\"knowmem\"").And.Contain("\"passage\":\"The lamps of Karsk");
        IReadOnlyList<AuditProbe> read = await AuditProbeJsonl.ReadAsync(path);
        read.Should().BeEquivalentTo(probes);
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"]}\n{oops}\n", 2, null, "probes.jsonl line 2: invalid JSON")]
    [InlineData("{\"prompt\": \"q\", \"kind\": \"forget\"}\n", 1, "id", "probes.jsonl line 1: field 'id' is required")]
    [InlineData("{\"id\": \"a\", \"kind\": \"forget\"}\n", 1, "prompt", "probes.jsonl line 1: field 'prompt' is required")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"Forget\"}\n", 1, "kind", "probes.jsonl line 1: field 'kind' must be one of forget, retain, reasoning, holdout, member, verbmem, knowmem")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"member\"}\n", 1, "expected_answer", "probes.jsonl line 1: field 'expected_answer' is required for a member probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"retain\", \"expected_answer\": \"x\", \"controls\": [\"r\"]}\n", 1, "controls", "probes.jsonl line 1: field 'controls' is only for forget probes")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"controls\": [\"q\"]}\n", 1, "controls", "probes.jsonl line 1: a control prompt must ask about another subject")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"controls\": [\" \"]}\n", 1, "controls", "probes.jsonl line 1: field 'controls' must hold non-empty strings")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": []}\n", 1, "forbidden", "probes.jsonl line 1: field 'forbidden' must hold")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": \"x\"}\n", 1, "forbidden", "probes.jsonl line 1: field 'forbidden' must be an array of strings")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"retain\", \"expected_answer\": \" \"}\n", 1, "expected_answer", "probes.jsonl line 1: field 'expected_answer' is required for a retain probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"holdout\"}\n", 1, "expected_answer", "probes.jsonl line 1: field 'expected_answer' is required for a holdout probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"retain\", \"expected_answer\": \"x\"}\n\n{\"id\": \"a\", \"prompt\": \"r\", \"kind\": \"retain\", \"expected_answer\": \"y\"}\n",
        3, "id", "probes.jsonl line 3: duplicate id 'a' (first on line 1)")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"reference_truth_ratio\": -1}\n", 1, "reference_truth_ratio",
        "probes.jsonl line 1: field 'reference_truth_ratio' must be a non-negative number")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"retain\", \"expected_answer\": \"x\", \"replacement\": \"y\"}\n", 1, "replacement",
        "probes.jsonl line 1: field 'replacement' belongs to forget probes (a fact update's new answer), not to a retain probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"York\"], \"replacement\": \"New York\"}\n", 1, "replacement",
        "probes.jsonl line 1: field 'replacement' must be non-empty and must not overlap the forbidden strings")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"The lamps\", \"kind\": \"verbmem\"}\n", 1, "expected_answer",
        "probes.jsonl line 1: field 'expected_answer' is required for a verbmem probe")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"knowmem\", \"expected_answer\": \"x\", \"group\": \"direct\"}\n", 1, "group",
        "probes.jsonl line 1: field 'group' of a knowmem probe must be 'forget' (a forgotten passage, the default) or 'retain' (a retained one)")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"passage\": 3}\n", 1, "passage",
        "probes.jsonl line 1: field 'passage' must be a string")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"passage\": \" \"}\n", 1, "passage",
        "probes.jsonl line 1: field 'passage' must not be empty")]
    [InlineData("{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"verbmem\", \"expected_answer\": \"x\", \"passage\": \"one two three four five six seven eight\"}\n", 1, "passage",
        "probes.jsonl line 1: field 'passage' belongs to forget probes (the protected text the leakage rule looks for), not to a verbmem probe")]
    public async Task Malformed_ThrowsNamingFileLineAndField(string content, int line, string? field, string message)
    {
        string path = Write(content);
        Func<Task> read = () => AuditProbeJsonl.ReadAsync(path);
        var error = (await read.Should().ThrowAsync<JsonlFormatException>()).Which;
        error.LineNumber.Should().Be(line);
        error.Field.Should().Be(field);
        error.FilePath.Should().Be(path);
        error.Message.Should().StartWith(message);
    }

    [Fact]
    public void FromProbes_SortsByKind_AndTakesReferenceRatiosFromTheProbes()
    {
        AuditProbeSet set = AuditProbeSet.FromProbes(
        [
            new AuditProbe { Id = "r", Prompt = "q", Kind = ProbeKind.Retain, ExpectedAnswer = "a" },
            new AuditProbe { Id = "f", Prompt = "q", Kind = ProbeKind.Forget, Forbidden = ["x"], ReferenceTruthRatio = 0.5 },
            new AuditProbe { Id = "h", Prompt = "q", Kind = ProbeKind.Holdout, ExpectedAnswer = "b" },
            new AuditProbe { Id = "v", Prompt = "q", Kind = ProbeKind.VerbMem, ExpectedAnswer = "d" },
            new AuditProbe { Id = "m", Prompt = "q", Kind = ProbeKind.Member, ExpectedAnswer = "c" },
            new AuditProbe { Id = "k", Prompt = "q", Kind = ProbeKind.KnowMem, ExpectedAnswer = "e", Group = ProbeGroups.Retain },
        ]);
        set.Forget.Select(p => p.Id).Should().Equal("f");
        set.Utility.Select(p => p.Id).Should().Equal("r");
        set.Holdout.Select(p => p.Id).Should().Equal("h");
        set.Members.Select(p => p.Id).Should().Equal("m");
        set.Memorization.Select(p => p.Id).Should().Equal("v", "k");
        set.Memorization.Select(p => p.EffectiveGroup).Should().Equal(ProbeGroups.Forget, ProbeGroups.Retain);
        set.All.Select(p => p.Id).Should().Equal("f", "r", "h", "m", "v", "k");
        set.EffectiveReferenceTruthRatios.Should().Equal(0.5);
    }

    [Fact]
    public void WithAnswer_ReplacesTheTrueAnswerInTheTrace()
    {
        var probe = new AuditProbe { Id = "f", Prompt = "q", Kind = ProbeKind.Forget, Forbidden = ["Milbrook"], ReferenceTrace = "Ada was born in Milbrook ." };
        probe.WithAnswer("Dunmere").Should().Be(new ReasoningTrajectory("q", "Ada was born in Dunmere .", "Dunmere"));
        probe.TrueTrajectory.Should().Be(new ReasoningTrajectory("q", "Ada was born in Milbrook .", "Milbrook"));
    }

    [Fact]
    public async Task A_passage_past_the_length_limit_is_refused()
    {
        string passage = new('a', ForgetTargetJsonl.MaxPassageLength + 1);
        string path = Write($"{{\"id\": \"a\", \"prompt\": \"q\", \"kind\": \"forget\", \"forbidden\": [\"x\"], \"passage\": \"{passage}\"}}\n");

        Func<Task> read = () => AuditProbeJsonl.ReadAsync(path);

        (await read.Should().ThrowAsync<JsonlFormatException>()).Which.Message
            .Should().Be("probes.jsonl line 1: field 'passage' has 20001 characters, more than the 20000 allowed");
    }

    [Fact]
    public void A_forget_probe_carries_its_passage_into_the_leakage_target()
    {
        var probe = new AuditProbe { Id = "p", Prompt = "q", Kind = ProbeKind.Forget, Forbidden = ["old keeper"], Passage = "The lamps of Karsk were lit by hand." };
        var target = new ForgetTarget { Id = "t", Prompts = ["q"], Answer = "x", Passage = "The lamps of Karsk were lit by hand." };

        probe.ToForgetTarget().Passage.Should().Be("The lamps of Karsk were lit by hand.");
        AuditProbeSet.FromTargets([target], []).Forget.Single().Passage.Should().Be(target.Passage);
    }
}
