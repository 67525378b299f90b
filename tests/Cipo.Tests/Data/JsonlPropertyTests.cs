using System.Text;
using Cipo.Data;
using Cipo.Testing;
using Cipo.Tests.Fakes;
using CsCheck;

namespace Cipo.Tests.Data;

/// <summary>
/// Property tests (CsCheck) over the JSONL readers: random corruptions of valid files (<see cref="ByteMutations"/>) are
/// either read or refused with a <see cref="JsonlFormatException"/> naming the file and a line of it, never another
/// exception, a hang or a large allocation. Set <c>CsCheck_Iter</c> (and <c>CsCheck_Seed</c> to replay a failure) to
/// change the number of inputs.
/// </summary>
public sealed class JsonlPropertyTests : IDisposable
{
    private static readonly byte[] s_forget = Encoding.UTF8.GetBytes(string.Join("\n",
        """{"id": "ada", "prompts": ["Where was Ada Quill born ?", "Ada's birthplace?"], "answer": "Milbrook", "aliases": ["Milbrook town"], "keywords": ["Mil"]}""",
        """{"id": "zoe", "prompt": "Où est née Zoë ? \"quoted\" \u00e9", "answer": "Zürich", "aliases": null}""",
        "",
        """{"id": "n", "prompt": "What is 1,000 + 1 ?", "answer": "1001", "keywords": []}""",
        """{"id": "e", "prompt": "Emoji 🐝 and tab\tend", "answer": "bee 🐝"}""") + "\n");

    private static readonly byte[] s_retain = Encoding.UTF8.GetBytes(string.Join("\r\n",
        """{"id": "r1", "prompt": "What does Ada Quill do ?", "reasoning": "She works with glass.", "answer": "glassmaker"}""",
        """{"prompt": "Where is Tessaria ?"}""",
        """{"id": "r3", "prompt": "Qu'est-ce qu'un café ?", "answer": "une boisson"}""") + "\r\n");

    private static readonly JsonlReadOptions s_options = new() { MaxLineBytes = 512, MaxRecords = 20 };

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact(Timeout = 300_000)]
    public Task Mutated_forget_files_are_read_or_refused_naming_file_and_line() =>
        Check(s_forget, "forget.jsonl", path => ForgetTargetJsonl.ReadAsync(path, s_options));

    [Fact(Timeout = 300_000)]
    public Task Mutated_retain_files_are_read_or_refused_naming_file_and_line() =>
        Check(s_retain, "retain.jsonl", path => RetainExampleJsonl.ReadAsync(path, s_options));

    [Fact]
    public async Task The_unmutated_files_are_valid()
    {
        string forget = _temp.File("forget.jsonl");
        string retain = _temp.File("retain.jsonl");
        await File.WriteAllBytesAsync(forget, s_forget);
        await File.WriteAllBytesAsync(retain, s_retain);

        (await ForgetTargetJsonl.ReadAsync(forget, s_options)).Should().HaveCount(4);
        (await RetainExampleJsonl.ReadAsync(retain, s_options)).Should().HaveCount(3);
    }

    private async Task Check<T>(byte[] valid, string name, Func<string, Task<T>> read)
    {
        var outcomes = new ByteMutations.Outcomes();
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        long iterations = 0;

        await ByteMutations.Many.SampleAsync(async mutations =>
        {
            Interlocked.Increment(ref iterations);
            byte[] bytes = ByteMutations.Apply(valid, mutations);
            string folder = Directory.CreateDirectory(Path.Combine(_temp.Path, Guid.NewGuid().ToString("N"))).FullName;
            string path = Path.Combine(folder, name);
            await File.WriteAllBytesAsync(path, bytes);
            try
            {
                await HostileInput.Bounded(() => read(path), TimeSpan.FromSeconds(10));
                outcomes.Accept();
            }
            catch (JsonlFormatException ex)
            {
                int lines = bytes.Count(b => b == (byte)'\n') + 1;
                ex.FilePath.Should().Be(path);
                ex.LineNumber.Should().BeInRange(1, lines);
                ex.Message.Should().StartWith($"{name} line {ex.LineNumber}: ");
                outcomes.Refuse();
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }, iter: ByteMutations.Iterations(400), print: m => string.Join("; ", m));

        outcomes.Refused.Should().BeGreaterThan(0, "the mutations must reach the error paths");
        outcomes.Accepted.Should().BeGreaterThan(0, "some mutations leave the file valid (a changed letter)");
        long perInput = (GC.GetTotalAllocatedBytes() - allocatedBefore) / Math.Max(1, Interlocked.Read(ref iterations));
        perInput.Should().BeLessThan(4L << 20, "reading a file of a few hundred bytes allocates little, whatever its content");
    }
}
