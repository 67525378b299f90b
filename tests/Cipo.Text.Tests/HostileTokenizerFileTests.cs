using Cipo.Testing;

namespace Cipo.Text.Tests;

/// <summary>Tokenizer files are read only when they are regular files: a FIFO or a device would block or never end.</summary>
public sealed class HostileTokenizerFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_fifo_tokenizer_json_is_refused_instead_of_blocking()
    {
        string fifo = HostileInput.MakeFifo(_temp.File("tokenizer.json"));

        Exception? error = await HostileInput.CaptureBounded(() => HuggingFaceTokenizer.FromFiles(fifo), TimeSpan.FromSeconds(10));

        error.Should().BeOfType<IOException>().Which.Message.Should().Contain(fifo).And.Contain("FIFO");
    }

    [Fact]
    public async Task A_word_tokenizer_file_linked_to_a_device_is_refused()
    {
        string link = _temp.File("word-tokenizer.json");
        File.CreateSymbolicLink(link, "/dev/zero");

        Exception? error = await HostileInput.CaptureBounded(() => WordTokenizer.Load(link), TimeSpan.FromSeconds(10));

        error.Should().BeOfType<IOException>().Which.Message.Should().Contain("character device");
    }
}
