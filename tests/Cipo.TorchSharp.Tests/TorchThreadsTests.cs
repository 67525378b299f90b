using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "libtorch thread count (process-wide)";
}

/// <summary>The scoped thread setting: what is set while a handle lives, and what comes back after.</summary>
[Collection(ThreadCountCollection.Name)]
public sealed class TorchThreadsTests
{
    [Fact]
    public void Use_SetsTheCount_AndDisposeRestoresThePreviousOne()
    {
        set_num_threads(2);

        using (TorchThreads.Use(1))
        {
            get_num_threads().Should().Be(1);
            TorchThreads.Current.Should().Be(1);
        }

        get_num_threads().Should().Be(2);
    }

    [Fact]
    public void Nested_InnerValueWhileItLives_ThenTheOuterOne_ThenTheOriginal()
    {
        set_num_threads(2);
        IDisposable outer = TorchThreads.Use(1);
        IDisposable inner = TorchThreads.Use(3);
        get_num_threads().Should().Be(3);

        inner.Dispose();
        get_num_threads().Should().Be(1);
        outer.Dispose();
        get_num_threads().Should().Be(2);
    }

    [Fact]
    public void Overlapping_FirstDisposedFirst_KeepsTheLaterHoldersValue_UntilTheLastIsDisposed()
    {
        // Runs side by side: A starts, B starts, A ends while B still runs.
        set_num_threads(2);
        IDisposable a = TorchThreads.Use(1);
        IDisposable b = TorchThreads.Use(1);

        a.Dispose();
        get_num_threads().Should().Be(1, "B is still running on one thread");
        a.Dispose(); // a second dispose changes nothing
        get_num_threads().Should().Be(1);
        b.Dispose();
        get_num_threads().Should().Be(2);
    }

    [Fact]
    public void Zero_ChangesNothing_AndOutOfRangeIsRejected()
    {
        set_num_threads(2);
        using (TorchThreads.Use(0))
        {
            get_num_threads().Should().Be(2);
        }
        get_num_threads().Should().Be(2);

        FluentActions.Invoking(() => TorchThreads.Use(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => TorchThreads.Use(257)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
