namespace Cipo.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_ListsUnlearnAndExitCodes(string flag)
    {
        var (code, stdout, _) = await Cli.RunAsync(flag);

        code.Should().Be(0);
        stdout.Should().Contain("unlearn").And.Contain("Exit codes");
        foreach (string line in new[] { "0  success", "1  finished", "2  bad input", "3  cancelled", "4  unexpected" })
        {
            stdout.Should().Contain(line);
        }
    }

    [Fact]
    public async Task UnlearnHelp_ListsEveryOptionAndExitCodes()
    {
        var (code, stdout, _) = await Cli.RunAsync("unlearn", "--help");

        code.Should().Be(0);
        foreach (string option in new[] { "--model", "--forget", "--retain", "--out", "--config", "--device", "--seed", "--max-rounds", "--threads", "--json", "--restart", "--verbose" })
        {
            stdout.Should().Contain(option);
        }
        stdout.Should().Contain("Exit codes").And.Contain("3  cancelled");
    }

    [Theory]
    [InlineData("unlearn")]
    [InlineData("audit")]
    [InlineData("demo")]
    [InlineData("bench")]
    public async Task CommandsThatWriteAFolder_StateTheOutputFolderRule(string command)
    {
        var (code, stdout, _) = await Cli.RunAsync(command, "--help");

        code.Should().Be(0);
        stdout.Should().Contain("Output folder: cipo writes only into an --out that is missing or empty").And.Contain(".cipo-lock");
    }

    [Fact]
    public async Task UnknownCommand_Exits2()
    {
        var (code, _, stderr) = await Cli.RunAsync("forget-everything");

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("unknown command 'forget-everything'");
    }

    [Fact]
    public async Task NoArguments_PrintsUsage_Exits2()
    {
        var (code, _, stderr) = await Cli.RunAsync();

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain("Usage");
    }

    [Theory]
    [InlineData("unlearn --forget f.jsonl --out o", "--model")]
    [InlineData("unlearn --model m --forget f.jsonl --out o --bogus", "unknown option '--bogus'")]
    [InlineData("unlearn --model m --forget f.jsonl --out o --seed x", "'--seed': 'x' is not an integer")]
    [InlineData("unlearn --model m --forget f.jsonl --out", "option '--out' needs a value")]
    [InlineData("unlearn --model m --forget f.jsonl --out o --threads 0", "'--threads': '0' is not a positive integer")]
    [InlineData("unlearn --model m --model m2 --forget f.jsonl --out o", "'--model' is given more than once")]
    public async Task BadArguments_Exit2(string commandLine, string expected)
    {
        var (code, _, stderr) = await Cli.RunAsync(commandLine.Split(' '));

        code.Should().Be(ExitCodes.BadInput);
        stderr.Should().Contain(expected);
    }
}
