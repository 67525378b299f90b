using Cipo.Data;
using Cipo.Evaluation.Probes;
using Cipo.Testing;

namespace Cipo.Evaluation.Tests.Probes;

/// <summary>The audit probe reader refuses hostile files like the forget and retain readers (tests/fixtures/hostile).</summary>
public sealed class HostileProbeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cipo-hostile-probes-" + Guid.NewGuid().ToString("N"));

    public HostileProbeTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_forbidden_string_without_letters_or_digits_is_refused_naming_line_and_field()
    {
        string path = HostileInput.Fixture("probes-punctuation-forbidden.jsonl");

        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => AuditProbeJsonl.ReadAsync(path)))
            .Should().ThrowAsync<JsonlFormatException>()).Which;

        error.LineNumber.Should().Be(2);
        error.Field.Should().Be("forbidden");
        error.Message.Should().StartWith("probes-punctuation-forbidden.jsonl line 2: field 'forbidden' item 1 ('?!') has no letter or digit");
    }

    [Fact]
    public async Task A_fifo_is_refused_instead_of_blocking()
    {
        string fifo = HostileInput.MakeFifo(Path.Combine(_folder, "probes.jsonl"));

        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => AuditProbeJsonl.ReadAsync(fifo), TimeSpan.FromSeconds(10)))
            .Should().ThrowAsync<IOException>()).Which;

        error.Message.Should().Contain("FIFO");
    }

    [Fact]
    public async Task More_probes_than_the_limit_are_refused()
    {
        string path = Path.Combine(_folder, "probes.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, AuditProbeJsonl.DefaultMaxRecords + 1)
            .Select(i => $$"""{"id": "p{{i}}", "kind": "retain", "prompt": "Q{{i}}", "expected_answer": "A"}"""));

        var error = (await FluentActions.Awaiting(() => HostileInput.Bounded(() => AuditProbeJsonl.ReadAsync(path)))
            .Should().ThrowAsync<JsonlFormatException>()).Which;

        error.LineNumber.Should().Be(AuditProbeJsonl.DefaultMaxRecords + 1);
    }
}
