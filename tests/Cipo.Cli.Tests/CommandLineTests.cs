namespace Cipo.Cli.Tests;

/// <summary>The command line as System.CommandLine parses it, with the error texts cipo documents.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "demo", "--out=" }, "cipo demo: option '--out' needs a value")]
    [InlineData(new[] { "demo", "--out", "--json" }, "cipo demo: option '--out' needs a value")]
    [InlineData(new[] { "demo", "--out", "--bogus" }, "cipo demo: option '--out' needs a value")]
    [InlineData(new[] { "demo", "--out", "o", "extra" }, "cipo demo: unexpected argument 'extra'")]
    [InlineData(new[] { "demo", "--bogus=3" }, "cipo demo: unknown option '--bogus'")]
    [InlineData(new[] { "demo", "--seed=x" }, "cipo demo: option '--seed': 'x' is not an integer >= 0")]
    [InlineData(new[] { "demo", "--out", "a", "--out=b" }, "cipo demo: option '--out' is given more than once")]
    [InlineData(new[] { "bench", "--methods", "," }, "cipo bench: option '--methods' needs at least one value")]
    [InlineData(new[] { "audit", "--model", "m", "--probes", "p", "--out", "o", "--relearn-steps", "-1" }, "cipo audit: option '--relearn-steps': '-1' is not a non-negative integer")]
    [InlineData(new[] { "unlearn", "@args.rsp" }, "cipo unlearn: unexpected argument '@args.rsp'")]
    public async Task BadArguments_ExitTwo_NamingTheOptionAndTheProblem(string[] args, string message)
    {
        (int code, _, string stderr) = await Cli.RunAsync(args);

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().StartWith(message + Environment.NewLine).And.Contain($"Run 'cipo {args[0]} --help' for usage.");
    }

    [Fact]
    public void BothValueForms_AndAliases_Parse()
    {
        AuditArguments a = AuditArguments.Parse(["--model=m", "--probes", "p", "--out=o", "--seed=-3", "--k", "4", "-v", "--device=cuda:1"]);

        a.Should().BeEquivalentTo(new AuditArguments { Model = "m", Probes = "p", Out = "o", Seed = -3, K = 4, Verbose = true, Device = "cuda:1" });
    }

    [Fact]
    public void Help_WinsOverOtherProblems()
    {
        UnlearnArguments.Parse(["--seed", "x", "-?"]).Help.Should().BeTrue();
        ReportArguments.Parse(["-h"]).Help.Should().BeTrue();
    }
}
