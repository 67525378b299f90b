using Microsoft.Extensions.Options;
using Cipo.Embedded.WorldModel;

namespace Cipo.Embedded.Tests.WorldModel;

public sealed class WorldModelOptionsTests
{
    [Fact]
    public void Defaults_AreTheEmbeddedDefault_AndValid()
    {
        var o = new WorldModelOptions();
        o.Validated().Should().BeSameAs(o);
        (o.HiddenSize, o.Layers, o.Heads, o.KvHeads).Should().Be((96, 4, 8, 4));
        (o.Steps, o.BatchSize, o.WarmupSteps, o.LearningRate, o.WeightDecay).Should().Be((3000, 32, 50, 4e-3, 0.1));
        (o.World.ArithmeticProblems, o.World.AgeQuestionsPerPerson, o.World.ExtraAgeQuestionsPerPerson).Should().Be((2400, 3, 20));
        (o.InstructionFraction, o.ColumnDrills, o.Seed, o.Threads, o.EvaluationSamples).Should().Be((0.25, 2, 0, 0, 200));
        o.World.SplitDigits.Should().BeTrue();
        o.World.ArithmeticScratchpad.Should().BeTrue();
        ((int)Math.Round(o.World.People * o.World.ForgetFraction)).Should().BeGreaterThanOrEqualTo(4, "the default split forgets at least four people");
    }

    // The failure text each bad value must give: the data annotation's range message, or the rule's own message.
    public static TheoryData<Action<WorldModelOptions>, string> BadOptions => new()
    {
        { o => o.HiddenSize = 8, "'HiddenSize' with the error: 'The field HiddenSize must be between 16 and 1024.'" },
        { o => o.HiddenSize = 100, "WorldModelOptions.HiddenSize must be divisible by Heads (8); got 100." },
        { o => o.KvHeads = 3, "WorldModelOptions.KvHeads must divide Heads (8); got 3." },
        { o => o.Layers = 0, "The field Layers must be between 1 and 32." },
        { o => o.Steps = 0, "The field Steps must be between 1 and 1000000." },
        { o => o.BatchSize = 0, "The field BatchSize must be between 1 and 4096." },
        { o => o.LearningRate = 0, "The field LearningRate must be between 1E-12 and 1." },
        { o => o.LearningRate = double.NaN, "The field LearningRate must be between 1E-12 and 1." },
        { o => o.WarmupSteps = 3000, "WorldModelOptions.WarmupSteps must be in [0, Steps) = [0, 3000); got 3000." },
        { o => o.WeightDecay = -1, "The field WeightDecay must be between 0 and 1." },
        { o => o.InstructionFraction = 1.5, "The field InstructionFraction must be between 0 and 1." },
        { o => o.ColumnDrills = 101, "The field ColumnDrills must be between 0 and 100." },
        { o => o.Threads = -1, "The field Threads must be between 0 and 256." },
        { o => o.EvaluationSamples = -1, "The field EvaluationSamples must be between 0 and 100000." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validated_BadField_ThrowsNamingIt(Action<WorldModelOptions> spoil, string message)
    {
        var o = new WorldModelOptions();
        spoil(o);
        FluentActions.Invoking(o.Validated).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validated_BadWorld_NamesTheWorldField()
    {
        var o = new WorldModelOptions();
        o.World.People = 1;
        FluentActions.Invoking(o.Validated).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle().Which.Should().StartWith("World: ").And.Contain("People must be in [2, 1000000]");
        o.World = null!;
        FluentActions.Invoking(o.Validated).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Equal("World is required.");
    }

    [Fact]
    public void Clone_IsDeep()
    {
        var o = new WorldModelOptions();
        WorldModelOptions copy = o.Clone();
        copy.World.People = 7;
        copy.Steps = 3;
        (o.World.People, o.Steps).Should().Be((40, 3000));
        WorldModelCache.Key(o.Clone()).Should().Be(WorldModelCache.Key(o));
    }
}
