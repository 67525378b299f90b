// Issue 13: the analyzer only checks a surface that is written down, so a library without its PublicAPI files would go unchecked.
namespace Cipo.Architecture.Tests;

/// <summary>Every library of <c>src/</c> tracks its public API (docs/packaging.md); the cipo tool, an application, does not.</summary>
public sealed class PublicApiFilesTests
{
    private const string Tool = "Cipo.Cli";

    public static TheoryData<string> Libraries() => [.. SourceProject.All().Select(p => p.Name).Where(n => n != Tool)];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void EveryLibrary_HasItsPublicApiFiles(string project)
    {
        string folder = Path.Combine(SourceProject.RepositoryRoot, "src", project);
        string shipped = Path.Combine(folder, "PublicAPI.Shipped.txt");
        string unshipped = Path.Combine(folder, "PublicAPI.Unshipped.txt");

        File.Exists(shipped).Should().BeTrue($"{project} tracks its public API");
        File.Exists(unshipped).Should().BeTrue($"{project} tracks its public API");
        File.ReadLines(shipped).First().Should().Be("#nullable enable", "nullable annotations are part of the tracked API");
        File.ReadLines(unshipped).First().Should().Be("#nullable enable", "nullable annotations are part of the tracked API");
        File.ReadLines(unshipped).Skip(1).Should().NotBeEmpty($"{project} has a public surface and nothing has shipped yet");
    }

    [Fact]
    public void TheTool_OptsOut()
    {
        string csproj = File.ReadAllText(Path.Combine(SourceProject.RepositoryRoot, "src", Tool, Tool + ".csproj"));

        csproj.Should().Contain("<TrackPublicApi>false</TrackPublicApi>", "an application's public types are no library contract");
        File.Exists(Path.Combine(SourceProject.RepositoryRoot, "src", Tool, "PublicAPI.Unshipped.txt")).Should().BeFalse();
    }
}
