using System.Runtime.CompilerServices;

namespace Cipo.Cli.Tests;

internal static class TestSetup
{
    /// <summary>
    /// One TorchSharp thread: the tiny model gains nothing from more, and on a shared 2-core machine spinning OpenMP
    /// workers make the run many times slower.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => global::TorchSharp.torch.set_num_threads(1);
}
