using static TorchSharp.torch;

namespace Cipo.TorchSharp.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "libtorch thread count (process-wide)";
}

[Collection(ThreadCountCollection.Name)]
public sealed class TorchThreadsTests
{
    [Fact]
    public void Set_ChangesTheCount_OnTheCallingThread_AndOnAThreadThatRunsTorchWorkAfterwards()
    {
        int before = get_num_threads();
        try
        {
            TorchThreads.Set(1);
            TorchThreads.Current.Should().Be(1);
            int onNewThread = 0;
            var thread = new Thread(() => onNewThread = TorchThreads.Current);
            thread.Start();
            thread.Join();
            onNewThread.Should().Be(1, "a thread that first runs torch work after the change picks it up");
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Set_RejectsCountsOutOfRange(int threads) =>
        FluentActions.Invoking(() => TorchThreads.Set(threads)).Should().Throw<ArgumentOutOfRangeException>();
}
