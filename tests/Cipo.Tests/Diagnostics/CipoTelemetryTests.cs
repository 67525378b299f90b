using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cipo.Diagnostics;
using Cipo.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Cipo.Tests.Diagnostics;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    // Listeners are process-wide: no other test may record while these listen.
    public const string Name = "telemetry listeners (process-wide)";
}

/// <summary>What a host exporting the "Cipo" source and meter sees of a run: spans per run, round and stage; loss, rewards, leakage, rounds.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class CipoTelemetryTests
{
    [Fact]
    public async Task ARun_EmitsSpansPerRoundAndStage_AndTheLoopsMetricsWithTheirValues()
    {
        var spans = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CipoTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CipoTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            lock (measurements) measurements.Add((instrument.Name, value, copy));
        }
        meterListener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meterListener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meterListener.Start();

        var services = new ServiceCollection();
        services.AddSingleton<CallLog>();
        services.AddCipoCore(o => o.MaxRounds = 2)
            .UseCounterfactualGenerator<FakeGenerator>().UsePreferencePairBuilder<FakePairBuilder>()
            .UsePreferenceOptimizer<FakeOptimizer>().UseForgetAuditor<FakeAuditor>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        UnlearningResult result = await provider.GetRequiredService<ICipoUnlearner>().UnlearnAsync(new FakePolicyModel(),
            new UnlearningRequest { Targets = [new ForgetTarget { Id = "t", Prompts = ["q1", "q2"], Answer = "Paris" }] });
        meterListener.RecordObservableInstruments();

        result.Rounds.Should().HaveCount(2);
        spans.Select(s => s.OperationName).Should().BeEquivalentTo(
        [
            "cipo.unlearn", "cipo.stage.audit",
            "cipo.round", "cipo.stage.counterfactuals", "cipo.stage.pairs", "cipo.stage.optimize", "cipo.stage.audit",
            "cipo.round", "cipo.stage.pairs", "cipo.stage.optimize", "cipo.stage.audit",
        ]);
        Activity run = spans.Single(s => s.OperationName == CipoTelemetry.UnlearnActivity);
        spans.Where(s => s.OperationName == CipoTelemetry.RoundActivity).Should().OnlyContain(s => s.Parent == run);
        spans.Where(s => s.OperationName.StartsWith(CipoTelemetry.StageActivityPrefix, StringComparison.Ordinal) && s.Parent != run)
            .Should().OnlyContain(s => s.Parent!.OperationName == CipoTelemetry.RoundActivity && Equals(s.Parent.GetTagItem(CipoTelemetry.RoundTag), s.GetTagItem(CipoTelemetry.RoundTag)));
        run.GetTagItem("cipo.rounds").Should().Be(2);
        run.GetTagItem("cipo.leakage").Should().Be(0.25);

        // The fake optimiser halves the leak each round and logs loss = leak, margins = 1 - leak; the fake auditor reports
        // trace = leak, answer = leak / 2.
        double[] Values(string instrument, string? part = null) => measurements
            .Where(m => m.Instrument == instrument && (part is null || Equals(m.Tags.GetValueOrDefault(CipoTelemetry.LeakagePartTag), part)))
            .Select(m => m.Value).ToArray();
        Values("cipo.optimizer.loss").Should().Equal(0.5, 0.25);
        Values("cipo.optimizer.rewards.margins").Should().Equal(0.5, 0.75);
        Values("cipo.optimizer.steps").Should().Equal(1, 1);
        Values("cipo.audit.leakage", "trace").Should().Equal(1.0, 0.5, 0.25);
        Values("cipo.audit.leakage", "answer").Should().Equal(0.5, 0.25, 0.125);
        Values("cipo.rounds").Should().Equal(1, 1);
        Values("cipo.round.duration").Should().HaveCount(2).And.OnlyContain(s => s >= 0);
        measurements.Where(m => m.Instrument == "cipo.audit.leakage").Select(m => m.Tags[CipoTelemetry.RoundTag])
            .Should().Equal(0, 0, 0, 1, 1, 1, 2, 2, 2);
    }

    [Fact]
    public void NothingListening_StartsNoSpan()
    {
        CipoTelemetry.ActivitySource.HasListeners().Should().BeFalse();
        CipoTelemetry.ActivitySource.StartActivity(CipoTelemetry.RoundActivity).Should().BeNull();
    }
}
