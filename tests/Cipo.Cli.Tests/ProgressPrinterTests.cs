namespace Cipo.Cli.Tests;

public sealed class ProgressPrinterTests
{
    private static string[] Print(bool verbose, params UnlearningProgress[] reports)
    {
        var writer = new StringWriter();
        var printer = new ProgressPrinter(writer, new Lock(), verbose);
        foreach (UnlearningProgress report in reports)
        {
            printer.Report(report);
        }
        return writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private static UnlearningProgress Step(int step, int total) =>
        new(1, 2, UnlearningStages.Optimize, $"Step {step}/{total}, loss 0.5") { Optimization = new OptimizationProgress(step, total, new Dictionary<string, double>()) };

    [Fact]
    public void Optimizer_steps_are_thinned_to_about_every_quarter_unless_verbose()
    {
        UnlearningProgress[] steps = Enumerable.Range(1, 8).Select(i => Step(i, 8)).ToArray();

        Print(verbose: false, steps).Select(l => l[(l.IndexOf("Step", StringComparison.Ordinal))..])
            .Should().Equal("Step 2/8, loss 0.5", "Step 4/8, loss 0.5", "Step 6/8, loss 0.5", "Step 8/8, loss 0.5");
        Print(verbose: true, steps).Should().HaveCount(8);
    }

    [Fact]
    public void A_message_that_only_looks_like_a_step_is_printed_as_it_is()
    {
        string[] lines = Print(verbose: false, new UnlearningProgress(1, 2, UnlearningStages.Optimize, "Step 3/8 of something else"));

        lines.Should().ContainSingle().Which.Should().MatchRegex(@"^\[\d\d:\d\d\] round 1/2   optimize        Step 3/8 of something else$");
    }
}
