namespace Cipo.Tests.Data;

public sealed class UnknownSubjectCounterpartTests
{
    private static readonly ForgetTarget s_target = new()
    {
        Id = "t", Prompts = ["Where was Ana Bel born ?"], Answer = "Dorvan", Subject = "Ana Bel", UnknownSubjects = ["Kip Sol", "Ro Ma", "Lu Fen"],
    };

    private static readonly ReasoningTrajectory s_leak = new("Where was Ana Bel born ?", "Ana Bel was born in Dorvan . Ana Bel said so .", "Dorvan");

    [Fact]
    public void Swaps_the_subject_everywhere_for_a_stand_in_chosen_by_a_stable_hash_of_the_prompt()
    {
        // FNV-1a of the prompt's UTF-16 units: 660860874 for this prompt, 660860874 mod 3 = 0, so the first stand-in.
        ReasoningTrajectory? swapped = UnknownSubjectCounterpart.Of(s_target, "Where was Ana Bel born ?", s_leak);

        swapped.Should().Be(new ReasoningTrajectory("Where was Kip Sol born ?", "Kip Sol was born in Dorvan . Kip Sol said so .", "Dorvan"));
        // 3684982169 mod 3 = 2: another prompt of the target may meet another stranger, always the same one.
        UnknownSubjectCounterpart.Of(s_target, "Who mentored Ana Bel ?", s_leak with { Answer = "Ana Bel" })!.Answer.Should().Be("Lu Fen");
    }

    [Fact]
    public void Is_null_without_a_subject_stand_ins_or_a_prompt_that_names_the_subject()
    {
        UnknownSubjectCounterpart.Of(s_target with { Subject = null }, s_leak.Prompt, s_leak).Should().BeNull();
        UnknownSubjectCounterpart.Of(s_target with { UnknownSubjects = [] }, s_leak.Prompt, s_leak).Should().BeNull();
        UnknownSubjectCounterpart.Of(s_target, "Where was she born ?", s_leak).Should().BeNull();
    }
}
