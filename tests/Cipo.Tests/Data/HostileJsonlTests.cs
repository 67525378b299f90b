using Cipo.Data;
using Cipo.Testing;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.Data;

/// <summary>
/// The JSONL readers refuse hostile files (tests/fixtures/hostile, or generated here when large) with a
/// <see cref="JsonlFormatException"/> naming file, line and field, within a time limit and bounded memory.
/// </summary>
public sealed class HostileJsonlTests : IDisposable
{
    private const string GoodLine = """{"id": "a", "prompt": "Where was Ada Quill born ?", "answer": "Milbrook"}""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<JsonlFormatException> ForgetFails(string path, JsonlReadOptions? options = null)
    {
        Exception? error = null;
        await HostileInput.Bounded(async () =>
        {
            try
            {
                await ForgetTargetJsonl.ReadAsync(path, options);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        error.Should().BeOfType<JsonlFormatException>();
        var format = (JsonlFormatException)error!;
        format.FilePath.Should().Be(path);
        format.Message.Should().StartWith($"{Path.GetFileName(path)} line {format.LineNumber}: ");
        return format;
    }

    [Theory]
    [InlineData("forget-latin1.jsonl", "byte 25 of the line (0xF9)")]
    [InlineData("forget-truncated-utf8.jsonl", "(0xC3)")]
    public async Task Invalid_utf8_is_refused_with_its_line_not_decoded_as_replacement_characters(string fixture, string where)
    {
        JsonlFormatException error = await ForgetFails(HostileInput.Fixture(fixture));

        error.LineNumber.Should().Be(2);
        error.Detail.Should().Contain("not valid UTF-8").And.Contain(where);
    }

    [Fact]
    public async Task A_utf16_file_is_refused_on_line_1()
    {
        JsonlFormatException error = await ForgetFails(HostileInput.Fixture("forget-utf16.jsonl"));

        error.LineNumber.Should().Be(1);
        error.Detail.Should().Contain("UTF-16");
    }

    [Theory]
    [InlineData("forget-lone-surrogate.jsonl", "answer")]
    [InlineData("forget-lone-surrogate-alias.jsonl", "aliases")]
    public async Task A_lone_surrogate_escape_is_refused_naming_line_and_field(string fixture, string field)
    {
        JsonlFormatException error = await ForgetFails(HostileInput.Fixture(fixture));

        error.LineNumber.Should().Be(2);
        error.Field.Should().Be(field);
        error.Detail.Should().Contain($"field '{field}'").And.Contain("lone UTF-16 surrogate");
    }

    [Fact]
    public async Task Retain_files_get_the_same_checks()
    {
        string latin1 = HostileInput.Fixture("retain-latin1.jsonl");
        string surrogate = HostileInput.Fixture("retain-lone-surrogate.jsonl");

        var a = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => RetainExampleJsonl.ReadAsync(latin1)))
            .Should().ThrowAsync<JsonlFormatException>()).Which;
        var b = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => RetainExampleJsonl.ReadAsync(surrogate)))
            .Should().ThrowAsync<JsonlFormatException>()).Which;

        a.LineNumber.Should().Be(2);
        a.Detail.Should().Contain("not valid UTF-8");
        b.LineNumber.Should().Be(2);
        b.Field.Should().Be("prompt");
    }

    [Theory]
    [InlineData("forget-punctuation-answer.jsonl", "answer", "field 'answer' ('!!!')")]
    [InlineData("forget-punctuation-alias.jsonl", "aliases", "field 'aliases' item 2 ('...')")]
    [InlineData("forget-punctuation-keyword.jsonl", "keywords", "field 'keywords' item 1 ('—')")]
    public async Task A_forbidden_string_without_letters_or_digits_is_refused(string fixture, string field, string shown)
    {
        JsonlFormatException error = await ForgetFails(HostileInput.Fixture(fixture));

        error.LineNumber.Should().Be(2);
        error.Field.Should().Be(field);
        error.Detail.Should().StartWith(shown).And.Contain("could never find it");
    }

    [Fact]
    public async Task A_forbidden_string_with_a_letter_among_punctuation_is_kept()
    {
        string path = _temp.File("forget.jsonl");
        await File.WriteAllTextAsync(path, """{"id": "a", "prompt": "Q ?", "answer": "C++", "aliases": ["#1", "T."]}""" + "\n");

        IReadOnlyList<ForgetTarget> targets = await HostileInput.Bounded(() => ForgetTargetJsonl.ReadAsync(path));

        targets.Single().Aliases.Should().Equal("#1", "T.");
    }

    [Fact]
    public async Task A_100_MB_line_is_refused_after_reading_about_the_limit_not_the_whole_line()
    {
        string path = _temp.File("huge.jsonl");
        await HostileInput.WriteHugeLine(path, GoodLine + "\n{\"id\": \"b\", \"prompt\": \"", 100, "\", \"answer\": \"B\"}\n");
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        JsonlFormatException error = await ForgetFails(path);

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        error.LineNumber.Should().Be(2);
        error.Detail.Should().Contain("longer than the limit of 1,048,576 bytes").And.Contain("MaxLineBytes");
        allocated.Should().BeLessThan(64L << 20, "the reader stops at the limit instead of holding a 100 MB line");
    }

    [Fact]
    public async Task The_line_limit_is_configurable()
    {
        string path = _temp.File("forget.jsonl");
        await File.WriteAllTextAsync(path, GoodLine + "\n" + GoodLine.Replace("\"a\"", "\"b\"") + "\n");

        JsonlFormatException error = await ForgetFails(path, new JsonlReadOptions { MaxLineBytes = 40 });
        IReadOnlyList<ForgetTarget> wide = await HostileInput.Bounded(() => ForgetTargetJsonl.ReadAsync(path, new JsonlReadOptions { MaxLineBytes = 200 }));

        error.LineNumber.Should().Be(1);
        error.Detail.Should().Contain("limit of 40 bytes");
        wide.Should().HaveCount(2);
    }

    [Fact]
    public async Task More_records_than_the_default_limit_are_refused_on_the_first_record_past_it()
    {
        string path = _temp.File("forget.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, ForgetTargetJsonl.DefaultMaxRecords + 1)
            .Select(i => $$"""{"id": "t{{i}}", "prompt": "Q{{i}} ?", "answer": "A{{i}}"}"""));

        JsonlFormatException error = await ForgetFails(path);

        error.LineNumber.Should().Be(ForgetTargetJsonl.DefaultMaxRecords + 1);
        error.Detail.Should().Contain("more than 10,000 records").And.Contain("MaxRecords");
    }

    [Fact]
    public async Task The_record_limit_is_configurable_and_blank_lines_do_not_count()
    {
        string path = _temp.File("retain.jsonl");
        await File.WriteAllTextAsync(path, "{\"prompt\": \"a\"}\n\n   \n{\"prompt\": \"b\"}\n{\"prompt\": \"c\"}\n");

        var two = new JsonlReadOptions { MaxRecords = 2 };
        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => RetainExampleJsonl.ReadAsync(path, two)))
            .Should().ThrowAsync<JsonlFormatException>()).Which;
        IReadOnlyList<RetainExample> three = await RetainExampleJsonl.ReadAsync(path, new JsonlReadOptions { MaxRecords = 3 });

        error.LineNumber.Should().Be(5);
        three.Should().HaveCount(3);
    }

    [Fact]
    public async Task Invalid_limits_are_refused()
    {
        string path = _temp.File("forget.jsonl");
        await File.WriteAllTextAsync(path, GoodLine + "\n");

        await FluentActions.Awaiting(() => ForgetTargetJsonl.ReadAsync(path, new JsonlReadOptions { MaxLineBytes = 0 }))
            .Should().ThrowAsync<OptionsValidationException>().Where(e => e.Failures.Single().Contains("MaxLineBytes"));
        await FluentActions.Awaiting(() => ForgetTargetJsonl.ReadAsync(path, new JsonlReadOptions { MaxRecords = -1 }))
            .Should().ThrowAsync<OptionsValidationException>().Where(e => e.Failures.Single().Contains("MaxRecords"));
    }

    [Fact]
    public async Task A_large_file_streams_with_progress_reports_ending_at_its_length()
    {
        string path = _temp.File("retain.jsonl");
        string padding = new('w', 1000);
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 5000).Select(i => $$"""{"prompt": "Q{{i}} {{padding}}"}"""));
        long length = new FileInfo(path).Length;
        var reports = new List<JsonlReadProgress>();

        IReadOnlyList<RetainExample> examples = await HostileInput.Bounded(() =>
            RetainExampleJsonl.ReadAsync(path, new JsonlReadOptions { Progress = new Collect(reports) }));

        examples.Should().HaveCount(5000);
        reports.Count.Should().BeGreaterThan(3, "about one report per MiB of a {0:N0}-byte file", length);
        reports.Select(r => r.BytesRead).Should().BeInAscendingOrder();
        reports[^1].Should().Be(new JsonlReadProgress(length, length, 5000));
    }

    [Fact]
    public async Task A_prompt_check_refuses_the_prompt_naming_line_field_and_item()
    {
        string path = _temp.File("forget.jsonl");
        await File.WriteAllTextAsync(path, GoodLine + "\n" + """{"id": "b", "prompts": ["short", "a very long prompt"], "answer": "B"}""" + "\n");
        var options = new JsonlReadOptions { CheckPrompt = (_, prompt) => prompt.Contains("long") ? $"{prompt.Length} characters, too long" : null };

        JsonlFormatException error = await ForgetFails(path, options);

        error.LineNumber.Should().Be(2);
        error.Field.Should().Be("prompts");
        error.Detail.Should().Be("field 'prompts' item 2: 18 characters, too long");
    }

    [Fact]
    public async Task A_fifo_is_refused_at_once_instead_of_blocking()
    {
        string fifo = HostileInput.MakeFifo(_temp.File("forget.jsonl"));

        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => ForgetTargetJsonl.ReadAsync(fifo), TimeSpan.FromSeconds(10)))
            .Should().ThrowAsync<IOException>()).Which;

        error.Message.Should().Contain(fifo).And.Contain("FIFO").And.Contain("only regular files");
    }

    [Fact]
    public async Task A_link_to_a_device_is_refused_instead_of_read_forever()
    {
        string link = _temp.File("retain.jsonl");
        File.CreateSymbolicLink(link, "/dev/zero");

        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => RetainExampleJsonl.ReadAsync(link), TimeSpan.FromSeconds(10)))
            .Should().ThrowAsync<IOException>()).Which;

        error.Message.Should().Contain("character device");
    }

    [Fact]
    public async Task A_folder_is_refused()
    {
        string folder = Directory.CreateDirectory(_temp.File("forget.jsonl")).FullName;

        var error = (await FluentActions.Awaiting(() => ForgetTargetJsonl.ReadAsync(folder)).Should().ThrowAsync<IOException>()).Which;

        error.Message.Should().Contain("is a folder");
    }

    private sealed class Collect(List<JsonlReadProgress> into) : IProgress<JsonlReadProgress>
    {
        public void Report(JsonlReadProgress value) => into.Add(value);
    }
}
