using static TorchSharp.torch;

namespace Cipo.TorchSharp;

/// <summary>Parses device names and explains what a host needs when a CUDA device is asked for but absent.</summary>
public static class TorchDevices
{
    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> and checks that the device is usable.</summary>
    /// <exception cref="ArgumentException">The name is not a device name.</exception>
    /// <exception cref="NotSupportedException">CUDA was asked for but this process has no CUDA backend or GPU.</exception>
    public static Device Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string n = name.Trim().ToLowerInvariant();
        if (n == "cpu")
        {
            return CPU;
        }
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new NotSupportedException(
                    $"Device '{name}' was requested but CUDA is not available in this process. Reference a CUDA build of TorchSharp " +
                    "in the application (for example TorchSharp-cuda-linux or libtorch-cuda-12.8-linux-x64 instead of TorchSharp-cpu) " +
                    "and run on a machine with an NVIDIA GPU and driver.");
            }
            if (n.Length > 5 && (!int.TryParse(n.AsSpan(5), out int index) || index < 0 || index >= cuda.device_count()))
            {
                throw new ArgumentException($"Device '{name}': CUDA device index must be 0..{cuda.device_count() - 1}.", nameof(name));
            }
            return device(n);
        }
        throw new ArgumentException($"Device '{name}' is not supported; use 'cpu', 'cuda' or 'cuda:N'.", nameof(name));
    }
}
