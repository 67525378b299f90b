namespace Cipo.TorchSharp.Checkpoints;

/// <summary>
/// A checkpoint file (a safetensors file or a shard index) is malformed: truncated, inconsistent or not in the
/// expected format. The message names the file and, where one is involved, the tensor key and field.
/// (It derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed.)
/// </summary>
public class CheckpointFormatException : IOException
{
    /// <summary>Creates an exception with a default message.</summary>
    public CheckpointFormatException()
        : base("The checkpoint is malformed.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is wrong.</param>
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The error that revealed the problem.</param>
    public CheckpointFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that names the offending file and key.</summary>
    /// <param name="message">What is wrong; should already name <paramref name="filePath"/> and <paramref name="key"/>.</param>
    /// <param name="filePath">The malformed file.</param>
    /// <param name="key">The tensor name or JSON key involved, if any.</param>
    /// <param name="innerException">The error that revealed the problem, if any.</param>
    public CheckpointFormatException(string message, string? filePath, string? key, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Key = key;
    }

    /// <summary>The malformed file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The tensor name or JSON key at fault, when the problem is tied to one.</summary>
    public string? Key { get; }

    /// <summary>Builds an exception whose message reads "file: tensor 'key' field 'field': detail".</summary>
    internal static CheckpointFormatException Create(string filePath, string? key, string? field, string detail, Exception? inner = null)
    {
        var where = key is null ? "" : key == SafeTensorsFile.MetadataKey ? $" key '{key}'" : $" tensor '{key}'";
        if (field is not null)
        {
            where += $" field '{field}'";
        }
        var message = where.Length == 0
            ? $"Malformed checkpoint file '{filePath}': {detail}"
            : $"Malformed checkpoint file '{filePath}',{where}: {detail}";
        return new CheckpointFormatException(message, filePath, key, inner);
    }
}
