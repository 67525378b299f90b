using System.Security.Cryptography;
using System.Text;
using Cipo.Evaluation.Reports;

namespace Cipo.Evaluation.Tests.Reports;

public sealed class DataHashTests
{
    [Fact]
    public void Forbidden_strings_hash_is_sha256_of_sorted_distinct_lines()
    {
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Milbrook\nMilbrook Town\nriver Mil\n")));

        DataHash.OfForbiddenStrings(["river Mil", "Milbrook", "Milbrook Town", "Milbrook"]).Should().Be(expected);
    }

    [Fact]
    public void Target_hash_ignores_order_and_sees_every_field()
    {
        IReadOnlyList<ForgetTarget> targets = ReportSamples.Targets();
        string hash = DataHash.OfTargets(targets);

        hash.Should().MatchRegex("^[0-9a-f]{64}$");
        DataHash.OfTargets(targets.Reverse()).Should().Be(hash);
        DataHash.OfTargets([targets[0] with { Keywords = ["river Mill"] }, targets[1]]).Should().NotBe(hash);
        DataHash.OfTargets([targets[0] with { Prompts = ["Where was Ada born?"] }, targets[1]]).Should().NotBe(hash);
        DataHash.OfTargets([targets[0]]).Should().NotBe(hash);
    }

    [Fact]
    public void Retain_hash_ignores_order_and_distinguishes_missing_id_from_empty()
    {
        RetainExample a = new() { Id = "r1", Prompt = "2 + 2?", ReasoningTrace = "2 + 2 = 4", Answer = "4" };
        RetainExample b = new() { Prompt = "Capital of Tessaria?" };

        DataHash.OfRetainExamples([a, b]).Should().Be(DataHash.OfRetainExamples([b, a]));
        DataHash.OfRetainExamples([a, b with { Id = "" }]).Should().NotBe(DataHash.OfRetainExamples([a, b]));
    }

    [Fact]
    public async Task File_hash_is_sha256_of_the_bytes()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] content = Encoding.UTF8.GetBytes("{\"id\":\"x\"}\n");
            await File.WriteAllBytesAsync(path, content);

            (await DataHash.OfFileAsync(path)).Should().Be(Convert.ToHexStringLower(SHA256.HashData(content)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
