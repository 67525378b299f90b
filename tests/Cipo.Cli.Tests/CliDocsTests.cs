using System.Text.RegularExpressions;

namespace Cipo.Cli.Tests;

/// <summary>
/// docs/cli.md shows each command's usage and options as its help renders them from the declared options: the fenced
/// block between <c>&lt;!-- cipo:help NAME --&gt;</c> and <c>&lt;!-- cipo:help:end --&gt;</c>. This test fails when a block
/// differs; regenerate with <c>CIPO_UPDATE_DOCS=1 dotnet test tests/Cipo.Cli.Tests -c Release --filter CliDocs</c>.
/// </summary>
public sealed partial class CliDocsTests
{
    [GeneratedRegex(@"(?<begin><!-- cipo:help (?<name>[a-z]+) -->\n)(?<body>.*?)(?<end><!-- cipo:help:end -->)", RegexOptions.Singleline)]
    private static partial Regex Region();

    [Fact]
    public void CliDoc_ShowsTheHelpOfEveryCommand()
    {
        string path = Path.Combine(RepositoryRoot(), "docs", "cli.md");
        string current = File.ReadAllText(path).ReplaceLineEndings("\n");
        var seen = new List<string>();
        string generated = Region().Replace(current, m =>
        {
            seen.Add(m.Groups["name"].Value);
            if (HelpText.Commands.SingleOrDefault(c => c.Name == m.Groups["name"].Value) is not { } command)
            {
                return m.Value;
            }
            string synopsis = HelpText.Synopsis(command).ReplaceLineEndings("\n");
            return $"{m.Groups["begin"].Value}\n```\n{synopsis}\n```\n\n{m.Groups["end"].Value}";
        });
        if (Environment.GetEnvironmentVariable("CIPO_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        seen.Should().BeEquivalentTo(HelpText.Commands.Select(c => c.Name), "docs/cli.md shows the options of every command");
        current.Should().Be(generated,
            "docs/cli.md must show the help the options render; regenerate with CIPO_UPDATE_DOCS=1 dotnet test tests/Cipo.Cli.Tests -c Release --filter CliDocs");
    }

    [Fact]
    public async Task CommandHelp_IsTheTitle_TheSynopsis_AndTheTextAfterTheOptions()
    {
        foreach (CliCommand command in HelpText.Commands)
        {
            var (code, stdout, _) = await Cli.RunAsync(command.Name, "--help");

            code.Should().Be(0);
            stdout.Should().StartWith($"cipo {command.Name} - {command.Title}").And.Contain(HelpText.Synopsis(command));
            foreach (System.CommandLine.Option option in command.Options)
            {
                stdout.Should().Contain(option.Name);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Cipo.Sdk.sln"))) return dir;
        }
        throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }
}
