using System.Text;

namespace Cipo.TorchSharp.Tests.Build;

/// <summary>
/// Checks what build/Cipo.TorchSharpNativeFix.targets did to this test project's output: the GLIBCXX_3.4.32 requirement of
/// libLibTorchSharp.so is weak exactly when the system libstdc++ lacks that version, and the NuGet cache copy is untouched.
/// </summary>
public sealed class NativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;

    [Fact]
    public void OutputLibrary_RequirementIsWeakExactlyWhenSystemLibstdcxxLacksIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        File.Exists(output).Should().BeTrue("TorchSharp-cpu copies its native library into the output");
        ushort? flags = RequirementFlags(File.ReadAllBytes(output), Version);
        flags.Should().NotBeNull("TorchSharp 0.107.0 requires " + Version);
        bool weak = (flags!.Value & VerFlgWeak) != 0;
        weak.Should().Be(!SystemLibstdcxxHas(Version));
    }

    [Fact]
    public void NuGetCacheLibrary_IsNeverPatched()
    {
        string home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(cached))
        {
            return; // another package layout; the output test still applies
        }
        ushort? flags = RequirementFlags(File.ReadAllBytes(cached), Version);
        (flags!.Value & VerFlgWeak).Should().Be(0);
    }

    [Fact]
    public void TorchSharp_LoadsAndComputes()
    {
        using var x = global::TorchSharp.torch.ones(3, 3);
        x.matmul(x).sum().item<float>().Should().Be(27f);
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        foreach (string lib in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
        {
            if (File.Exists(lib))
            {
                byte[] bytes = File.ReadAllBytes(lib);
                return IndexOf(bytes, Encoding.ASCII.GetBytes(version + "\0")) >= 0;
            }
        }
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>vna_flags of the version-needed entry named <paramref name="version"/> in an ELF64 LE file, or null.</summary>
    private static ushort? RequirementFlags(byte[] elf, string version)
    {
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = (int)(shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe)
            {
                continue; // not SHT_GNU_verneed
            }
            int offset = (int)BitConverter.ToInt64(elf, sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int entries = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = (int)BitConverter.ToInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            int vn = offset;
            for (int i = 0; i < entries; i++)
            {
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int j = 0; j < BitConverter.ToUInt16(elf, vn + 2); j++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version)
                    {
                        return BitConverter.ToUInt16(elf, aux + 4);
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(elf, vn + 12);
            }
        }
        return null;
    }
}
