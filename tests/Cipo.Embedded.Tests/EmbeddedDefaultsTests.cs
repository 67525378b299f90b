namespace Cipo.Embedded.Tests;

public sealed class EmbeddedDefaultsTests
{
    [Fact]
    public void CacheRoot_is_under_the_user_cache_folder_and_named_cipo()
    {
        string root = EmbeddedDefaults.CacheRoot;
        Path.IsPathRooted(root).Should().BeTrue();
        if (Environment.GetEnvironmentVariable("CIPO_CACHE") is not { Length: > 0 })
        {
            Path.GetFileName(root).Should().Be("cipo");
        }
    }
}
