using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Tests.WorldModel;

public sealed class WorldModelKeyTests
{
    [Fact]
    public void BirthplaceUpdates_ChangeTheKey_OnlyWhenThereAreAny()
    {
        var plain = new WorldModelOptions();
        string canonical = WorldModelKey.CanonicalJson(plain, null);

        // The option arrived after models were trained and cached: its empty default must leave their keys as they were.
        canonical.Should().NotContain("birthplaceUpdates");
        var updated = new WorldModelOptions { World = new WorldOptions { BirthplaceUpdates = new Dictionary<string, string> { ["p001"] = "c03", ["p000"] = "c02" } } };
        WorldModelKey.CanonicalJson(updated, null).Should().Contain("\"birthplaceUpdates\":\"p000=c02,p001=c03\"", "sorted, so the key does not depend on insertion order");
        WorldModelKey.Compute(updated, null).Should().NotBe(WorldModelKey.Compute(plain, null));
    }
}
