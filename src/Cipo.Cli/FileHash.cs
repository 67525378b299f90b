using System.Security.Cryptography;

namespace Cipo.Cli;

/// <summary>SHA-256 of a file, lower-case hex: how the reports and the resume fingerprint name an input's content.</summary>
internal static class FileHash
{
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
