using Cipo.Evaluation.Audit;
using Cipo.Evaluation.Probes;
using Cipo.TorchSharp.Stages;
using Microsoft.Extensions.Options;

namespace Cipo.TorchSharp.Tests.Audit;

/// <summary>The loop's audits sample with seeds of the run's seed and the round, not of how many audits a process ran.</summary>
public sealed class AuditSeedTests
{
    private static readonly ForgetTarget[] s_targets = [new() { Id = "birth", Prompts = ["Where was Ada born ?"], Answer = "Milbrook" }];

    private static ScriptedPolicy Policy() => new((_, _, _) => ("thinking", "no idea", true));

    private static long[] SampledSeeds(ScriptedPolicy policy) => policy.Calls.Where(c => !c.Settings.IsGreedy).Select(c => c.Settings.Seed).ToArray();

    private static LeakageAuditor Auditor() =>
        new(new Cipo.Leakage.NormalizedLeakageDetector(), Options.Create(new LeakageAuditorOptions { SamplesPerPrompt = 2 }), Options.Create(new CipoOptions { Seed = 7 }));

    [Fact]
    public async Task LeakageAuditor_A_fresh_auditor_samples_round_two_as_one_that_audited_rounds_zero_and_one()
    {
        ScriptedPolicy uninterrupted = Policy(), resumed = Policy();
        LeakageAuditor first = Auditor();
        for (int round = 0; round <= 2; round++)
        {
            await first.AuditAsync(uninterrupted, s_targets, [], round, CancellationToken.None);
        }
        await Auditor().AuditAsync(resumed, s_targets, [], 2, CancellationToken.None);

        long[] seeds = SampledSeeds(uninterrupted);
        seeds.Should().OnlyHaveUniqueItems("each round samples afresh");
        SampledSeeds(resumed).Should().Equal(seeds[2]);
        seeds[0].Should().Be(7 + new LeakageAuditorOptions().SeedOffset + 31, "round 0 keeps the seed the first audit of a process had");
    }

    [Fact]
    public async Task LeakageAuditor_Without_a_round_audits_as_round_zero_every_time()
    {
        ScriptedPolicy policy = Policy();
        LeakageAuditor auditor = Auditor();

        await auditor.AuditAsync(policy, s_targets, [], CancellationToken.None);
        await auditor.AuditAsync(policy, s_targets, [], CancellationToken.None);
        await auditor.AuditAsync(policy, s_targets, [], round: 0, CancellationToken.None);

        SampledSeeds(policy).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task ProbeSetAuditor_A_fresh_suite_samples_round_two_as_one_that_audited_rounds_zero_and_one()
    {
        AuditProbeSet probes = AuditProbeSet.FromTargets(s_targets, []);
        ScriptedPolicy uninterrupted = Policy(), resumed = Policy();
        var first = new ProbeSetAuditor(Suite(), probes);
        for (int round = 0; round <= 2; round++)
        {
            await first.AuditAsync(uninterrupted, s_targets, [], round, CancellationToken.None);
        }
        await new ProbeSetAuditor(Suite(), probes).AuditAsync(resumed, s_targets, [], 2, CancellationToken.None);

        long[] seeds = SampledSeeds(uninterrupted);
        seeds.Should().OnlyHaveUniqueItems();
        SampledSeeds(resumed).Should().Equal(seeds[2]);

        static ForgetAuditSuite Suite() => new(Options.Create(new ForgetAuditSuiteOptions { K = 2 }));
    }
}
