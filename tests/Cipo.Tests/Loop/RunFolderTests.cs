using Cipo.Loop;

namespace Cipo.Tests.Loop;

public sealed class RunFolderTests
{
    private static readonly ForgetTarget s_fact = new() { Id = "t", Prompts = ["Continue: The lamps of Karsk"], Answer = "were lit by hand" };

    private static UnlearningRequest Request(ForgetTarget target) => new() { Targets = [target] };

    [Fact]
    public void A_changed_passage_is_a_different_request()
    {
        ForgetTarget one = s_fact with { Passage = "The lamps of Karsk were lit by hand each dusk by the keeper." };
        ForgetTarget other = s_fact with { Passage = "The lamps of Karsk were lit by hand each dawn by the keeper." };

        string hashOne = RunFolder.HashRequest(Request(one));

        hashOne.Should().NotBe(RunFolder.HashRequest(Request(other)));
        hashOne.Should().NotBe(RunFolder.HashRequest(Request(s_fact)), "adding a passage changes what leaks");
        hashOne.Should().Be(RunFolder.HashRequest(Request(one with { })), "the hash is a function of the fields, not of the instance");
    }

    [Fact]
    public void A_target_without_a_passage_keeps_the_hash_of_earlier_versions()
    {
        // The canonical form of a plain fact before passages existed: only id, prompts, answer, aliases and keywords.
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            """{"targets":[{"Id":"t","Prompts":["Continue: The lamps of Karsk"],"Answer":"were lit by hand","Aliases":[],"Keywords":[]}],"retain":[]}""")));

        RunFolder.HashRequest(Request(s_fact)).Should().Be(expected);
    }
}
