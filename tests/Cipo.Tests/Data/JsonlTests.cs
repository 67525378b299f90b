using Cipo.Data;
using Cipo.Tests.Fakes;
using Cipo.Text;

namespace Cipo.Tests.Data;

public sealed class JsonlTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> WriteAsync(string name, params string[] lines)
    {
        string path = _temp.File(name);
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    [Fact]
    public async Task Reads_forget_targets_with_prompt_or_prompts_skipping_blank_lines()
    {
        string path = await WriteAsync("forget.jsonl",
            """{"id":"a","prompts":["Q1","Q2"],"answer":"A","aliases":["AA"],"keywords":["k"]}""",
            "",
            "   ",
            """{"id":"b","prompt":"Q3","answer":"B"}""");

        IReadOnlyList<ForgetTarget> targets = await ForgetTargetJsonl.ReadAsync(path);

        targets.Should().HaveCount(2);
        targets[0].Prompts.Should().Equal("Q1", "Q2");
        targets[0].Aliases.Should().Equal("AA");
        targets[0].Keywords.Should().Equal("k");
        targets[1].Prompts.Should().Equal("Q3");
        targets[1].Aliases.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"id":"b","prompt":"Q"}""", "answer", "forget.jsonl line 2: field 'answer' is required")]
    [InlineData("""{"id":"b","prompt":"Q","answer":5}""", "answer", "forget.jsonl line 2: field 'answer' must be a string")]
    [InlineData("""{"id":"b","prompts":[],"answer":"A"}""", "prompts", "forget.jsonl line 2: field 'prompts' must not be empty")]
    [InlineData("""{"id":"b","prompts":"Q","answer":"A"}""", "prompts", "forget.jsonl line 2: field 'prompts' must be an array of strings")]
    [InlineData("""{"id":"b","answer":"A"}""", "prompts", "forget.jsonl line 2: field 'prompts' (or 'prompt') is required")]
    [InlineData("""{"id":"b","prompt":"  ","answer":"A"}""", "prompt", "forget.jsonl line 2: field 'prompt' must not be empty")]
    [InlineData("""{"id":"a","prompt":"Q","answer":"A"}""", "id", "forget.jsonl line 2: duplicate id 'a' (first on line 1)")]
    [InlineData("""{"id":"b","prompt":"Q","aliases":[1],"answer":"A"}""", "aliases", "forget.jsonl line 2: field 'aliases' must be an array of strings")]
    [InlineData("""["not","an","object"]""", null, "forget.jsonl line 2: each line must be a JSON object")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","replacement_aliases":["X"]}""", "replacement_aliases",
        "forget.jsonl line 2: field 'replacement_aliases' needs field 'replacement'")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"York","replacement":"New York"}""", "replacement",
        "forget.jsonl line 2: field 'replacement' ('New York') overlaps the old fact 'York': the new answer would count as a leak of the old one, or the old one as adopting the new")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","aliases":["Old Town"],"replacement":"B","replacement_aliases":["Town"]}""", "replacement_aliases",
        "forget.jsonl line 2: field 'replacement_aliases' ('Town') overlaps the old fact 'Old Town': the new answer would count as a leak of the old one, or the old one as adopting the new")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","replacement":"--"}""", "replacement",
        "forget.jsonl line 2: field 'replacement' ('--') has no letter or digit, so its adoption could never be matched")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","unknown_subjects":["X"]}""", "unknown_subjects",
        "forget.jsonl line 2: field 'unknown_subjects' needs field 'subject' (the name they stand in for)")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","subject":" "}""", "subject", "forget.jsonl line 2: field 'subject' must not be empty")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","subject":"S","unknown_subjects":["X","S"]}""", "unknown_subjects",
        "forget.jsonl line 2: field 'unknown_subjects' must not contain the subject 'S' itself")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","subject":"S","unknown_subjects":["X",""]}""", "unknown_subjects",
        "forget.jsonl line 2: field 'unknown_subjects' must not contain empty names")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","passage":7}""", "passage", "forget.jsonl line 2: field 'passage' must be a string")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","passage":["one two three four five six seven eight"]}""", "passage",
        "forget.jsonl line 2: field 'passage' must be a string")]
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","passage":"  "}""", "passage", "forget.jsonl line 2: field 'passage' must not be empty")]
    // "One, two - three four five six seven!" normalises to 7 words: one short of the default window of 8.
    [InlineData("""{"id":"b","prompt":"Q","answer":"A","passage":"One, two - three four five six seven!"}""", "passage",
        "forget.jsonl line 2: field 'passage' has 7 words, fewer than the verbatim window of 8; a passage that short is a fact: use 'answer' and 'keywords'")]
    public async Task Reports_forget_errors_with_file_line_and_field(string badLine, string? field, string message)
    {
        string path = await WriteAsync("forget.jsonl", """{"id":"a","prompt":"Q","answer":"A"}""", badLine);

        Func<Task> act = () => ForgetTargetJsonl.ReadAsync(path);

        var error = (await act.Should().ThrowAsync<JsonlFormatException>()).Which;
        error.Message.Should().Be(message);
        error.LineNumber.Should().Be(2);
        error.Field.Should().Be(field);
        error.FilePath.Should().Be(path);
    }

    [Fact]
    public async Task Refuses_a_passage_past_the_length_limit_and_accepts_one_at_it()
    {
        // 4 characters per word ("abc "): 5,000 words make exactly 20,000 characters, the limit; one more character is past it.
        string atLimit = string.Concat(Enumerable.Repeat("abc ", 5_000));
        atLimit.Length.Should().Be(ForgetTargetJsonl.MaxPassageLength);
        string path = await WriteAsync("forget.jsonl",
            $$"""{"id":"a","prompt":"Q","answer":"A","passage":"{{atLimit}}"}""",
            $$"""{"id":"b","prompt":"Q","answer":"A","passage":"{{atLimit}}x"}""");

        Func<Task> act = () => ForgetTargetJsonl.ReadAsync(path);

        var error = (await act.Should().ThrowAsync<JsonlFormatException>()).Which;
        error.Message.Should().Be("forget.jsonl line 2: field 'passage' has 20001 characters, more than the 20000 allowed");
        error.LineNumber.Should().Be(2);
        error.Field.Should().Be("passage");
    }

    [Fact]
    public async Task Reads_a_passage_of_exactly_the_window()
    {
        // 8 words after normalisation ("Don't" is two words: don, t): the default window, so accepted.
        string path = await WriteAsync("forget.jsonl", """{"id":"a","prompt":"Q","answer":"A","passage":"Don't go, said the old grey cat."}""");

        IReadOnlyList<ForgetTarget> targets = await ForgetTargetJsonl.ReadAsync(path);

        targets.Single().Passage.Should().Be("Don't go, said the old grey cat.");
    }

    [Fact]
    public async Task Reports_bad_json_with_its_line()
    {
        string path = await WriteAsync("forget.jsonl", """{"id":"a","prompt":"Q","answer":"A"}""", "", """{"id": "b", """);

        Func<Task> act = () => ForgetTargetJsonl.ReadAsync(path);

        var error = (await act.Should().ThrowAsync<JsonlFormatException>()).Which;
        error.Message.Should().StartWith("forget.jsonl line 3: invalid JSON");
        error.Field.Should().BeNull();
    }

    [Fact]
    public async Task Forget_targets_round_trip()
    {
        ForgetTarget[] targets =
        [
            new() { Id = "a", Prompts = ["Où est Zürich?"], Answer = "Suisse \"CH\"", Aliases = ["CH"], Keywords = ["Alpes"] },
            new() { Id = "b", Prompts = ["Q1", "Q2"], Answer = "B" },
            new() { Id = "c", Prompts = ["Where was Ana Bel born?"], Answer = "Dorvan", Subject = "Ana Bel", UnknownSubjects = ["Kip Sol", "Ro Ma"] },
            new() { Id = "d", Prompts = ["Where does Ana Bel live?"], Answer = "Karsk", Replacement = "Velmar", ReplacementAliases = ["Velmar Town"] },
            new()
            {
                Id = "e", Prompts = ["Continue: The lamps of Karsk"], Answer = "were lit by hand each dusk",
                Passage = "The lamps of Karsk were lit by hand each dusk,\n\"by the keeper\" — whose name nobody recalls.",
            },
        ];
        string path = _temp.File("out/forget.jsonl");

        await ForgetTargetJsonl.WriteAsync(path, targets);
        IReadOnlyList<ForgetTarget> read = await ForgetTargetJsonl.ReadAsync(path);

        read.Should().BeEquivalentTo(targets);
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
    }

    [Fact]
    public async Task Reads_and_writes_retain_examples()
    {
        string path = await WriteAsync("retain.jsonl",
            """{"id":"r1","prompt":"2+2?","reasoning":"Add.","answer":"4"}""",
            """{"prompt":"Capital of France?","answer":"Paris"}""",
            """{"prompt":"Say hi"}""");

        IReadOnlyList<RetainExample> read = await RetainExampleJsonl.ReadAsync(path);

        read.Should().HaveCount(3);
        read[0].Should().Be(new RetainExample { Id = "r1", Prompt = "2+2?", ReasoningTrace = "Add.", Answer = "4" });
        read[1].HasTrajectory.Should().BeTrue();
        read[2].HasTrajectory.Should().BeFalse();

        string copy = _temp.File("copy.jsonl");
        await RetainExampleJsonl.WriteAsync(copy, read);
        (await RetainExampleJsonl.ReadAsync(copy)).Should().Equal(read);
    }

    [Theory]
    [InlineData("""{"answer":"4"}""", "retain.jsonl line 1: field 'prompt' is required")]
    [InlineData("""{"prompt":"Q","reasoning":"R"}""", "retain.jsonl line 1: field 'answer' is required when 'reasoning' is given")]
    [InlineData("""{"prompt":"Q","answer":["4"]}""", "retain.jsonl line 1: field 'answer' must be a string")]
    public async Task Reports_retain_errors(string line, string message)
    {
        string path = await WriteAsync("retain.jsonl", line);

        Func<Task> act = () => RetainExampleJsonl.ReadAsync(path);

        (await act.Should().ThrowAsync<JsonlFormatException>()).Which.Message.Should().Be(message);
    }

    [Fact]
    public async Task Reading_honours_cancellation()
    {
        string path = await WriteAsync("forget.jsonl", """{"id":"a","prompt":"Q","answer":"A"}""");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Func<Task> act = () => ForgetTargetJsonl.ReadAsync(path, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static readonly PreferencePair s_pair = new("t", "Capital of Freedonia?",
        new ReasoningTrajectory("Capital of Freedonia?", "I do not know.", "I cannot determine that."),
        new ReasoningTrajectory("Capital of Freedonia?", "It is Fredville.", "Fredville"),
        2, CounterfactualStrategies.KnowledgeBoundary, "original");

    [Fact]
    public async Task Writes_trl_pairs_with_the_prompt_format()
    {
        string path = _temp.File("pairs.trl.jsonl");
        IReasoningPromptFormat format = PlainReasoningPromptFormat.Instance;

        await PreferencePairJsonl.WriteTrlAsync(path, [s_pair], format);
        IReadOnlyList<TrlPreferenceRecord> read = await PreferencePairJsonl.ReadTrlAsync(path);

        read.Should().ContainSingle().Which.Should().Be(new TrlPreferenceRecord(
            format.FormatPrompt(s_pair.Prompt),
            format.FormatCompletion("I do not know.", "I cannot determine that."),
            format.FormatCompletion("It is Fredville.", "Fredville")));
    }

    [Fact]
    public async Task Cipo_pairs_round_trip_every_field()
    {
        string path = _temp.File("pairs.jsonl");
        PreferencePair other = s_pair with { Rejected = new ReasoningTrajectory("A different prompt", "", "x"), Round = 1, RejectedSource = "sampled" };

        await PreferencePairJsonl.WriteAsync(path, [s_pair, other]);
        IReadOnlyList<PreferencePair> read = await PreferencePairJsonl.ReadAsync(path);

        read.Should().Equal(s_pair, other);
    }

    [Fact]
    public async Task Cipo_pairs_name_nested_fields_in_errors()
    {
        string path = await WriteAsync("pairs.jsonl",
            """{"target_id":"t","prompt":"Q","chosen":{"reasoning":"r"},"rejected":{"reasoning":"r","answer":"a"},"round":1,"strategy":"s","rejected_source":"sampled"}""");

        Func<Task> act = () => PreferencePairJsonl.ReadAsync(path);

        var error = (await act.Should().ThrowAsync<JsonlFormatException>()).Which;
        error.Message.Should().Be("pairs.jsonl line 1: field 'chosen.answer' is required");
        error.Field.Should().Be("chosen.answer");
    }
}
