using Cipo.Embedded.WorldModel;

namespace Cipo.Embedded.Tests.WorldModel;

public sealed class WorldModelOptionsTests
{
    [Fact]
    public void Defaults_AreTheEmbeddedDefault_AndValid()
    {
        var o = new WorldModelOptions();
        o.Validate();
        (o.HiddenSize, o.Layers, o.Heads, o.KvHeads).Should().Be((96, 4, 8, 4));
        (o.Steps, o.BatchSize, o.WarmupSteps, o.LearningRate, o.WeightDecay).Should().Be((3000, 32, 50, 4e-3, 0.1));
        (o.World.ArithmeticProblems, o.World.AgeQuestionsPerPerson, o.World.ExtraAgeQuestionsPerPerson).Should().Be((2400, 3, 20));
        (o.InstructionFraction, o.ColumnDrills, o.Seed, o.Threads, o.EvaluationSamples).Should().Be((0.25, 2, 0, 0, 200));
        o.World.SplitDigits.Should().BeTrue();
        o.World.ArithmeticScratchpad.Should().BeTrue();
        ((int)Math.Round(o.World.People * o.World.ForgetFraction)).Should().BeGreaterThanOrEqualTo(4, "the default split forgets at least four people");
    }

    public static TheoryData<Action<WorldModelOptions>, string, string> BadOptions => new()
    {
        { o => o.HiddenSize = 8, "HiddenSize", "WorldModelOptions.HiddenSize must be in [16, 1024]; got 8." },
        { o => o.HiddenSize = 100, "HiddenSize", "WorldModelOptions.HiddenSize must be divisible by Heads (8); got 100." },
        { o => o.KvHeads = 3, "KvHeads", "WorldModelOptions.KvHeads must divide Heads (8); got 3." },
        { o => o.Layers = 0, "Layers", "WorldModelOptions.Layers must be in [1, 32]; got 0." },
        { o => o.Steps = 0, "Steps", "WorldModelOptions.Steps must be in [1, 1000000]; got 0." },
        { o => o.BatchSize = 0, "BatchSize", "WorldModelOptions.BatchSize must be in [1, 4096]; got 0." },
        { o => o.LearningRate = 0, "LearningRate", "WorldModelOptions.LearningRate must be in (0, 1]; got 0." },
        { o => o.LearningRate = double.NaN, "LearningRate", "WorldModelOptions.LearningRate must be in (0, 1]; got NaN." },
        { o => o.WarmupSteps = 3000, "WarmupSteps", "WorldModelOptions.WarmupSteps must be in [0, Steps) = [0, 3000); got 3000." },
        { o => o.WeightDecay = -1, "WeightDecay", "WorldModelOptions.WeightDecay must be in [0, 1]; got -1." },
        { o => o.InstructionFraction = 1.5, "InstructionFraction", "WorldModelOptions.InstructionFraction must be in [0, 1]; got 1.5." },
        { o => o.ColumnDrills = 101, "ColumnDrills", "WorldModelOptions.ColumnDrills must be in [0, 100]; got 101." },
        { o => o.Threads = -1, "Threads", "WorldModelOptions.Threads must be in [0, 256]; got -1." },
        { o => o.EvaluationSamples = -1, "EvaluationSamples", "WorldModelOptions.EvaluationSamples must be in [0, 100000]; got -1." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadField_ThrowsNamingIt(Action<WorldModelOptions> spoil, string field, string message)
    {
        var o = new WorldModelOptions();
        spoil(o);
        FluentActions.Invoking(o.Validate).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == field && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadWorld_NamesTheWorldField()
    {
        var o = new WorldModelOptions();
        o.World.People = 1;
        FluentActions.Invoking(o.Validate).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "World.People" && e.Message.StartsWith("WorldModelOptions.World.People: ", StringComparison.Ordinal));
        o.World = null!;
        FluentActions.Invoking(o.Validate).Should().Throw<ArgumentNullException>().WithParameterName("World");
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
