// Issue 13: one validation style for every options class; read from the tracked API files and the sources, so a new options class is caught.
using System.Text.RegularExpressions;

namespace Cipo.Architecture.Tests;

/// <summary>
/// Every public options class (a type named <c>*Options</c>, and the experiment settings <c>MethodBudget</c> and
/// <c>LoopSampling</c>) validates one way: a <c>Validated()</c> that returns it or throws <c>OptionsValidationException</c>,
/// run by a validator derived from the shared <c>OptionsValidator&lt;T&gt;</c> (data annotations, then rules), and no
/// hand-rolled <c>Validate()</c> that throws something else.
/// </summary>
public sealed partial class OptionsConventionTests
{
    private static readonly string[] s_settingsNotNamedOptions = ["MethodBudget", "LoopSampling"];

    // "Namespace.Type.Type() -> void": a public parameterless constructor.
    [GeneratedRegex(@"^(?<full>[A-Za-z0-9_.]*\.(?<name>[A-Za-z0-9_]+))\.\k<name>\(\) -> void$")]
    private static partial Regex Constructor();

    private static IEnumerable<(string Project, string FullName, string Name, string[] Api)> OptionsTypes()
    {
        foreach (SourceProject project in SourceProject.All().Where(p => p.Name != "Cipo.Cli"))
        {
            string[] api = File.ReadAllLines(Path.Combine(SourceProject.RepositoryRoot, "src", project.Name, "PublicAPI.Unshipped.txt"));
            foreach (Match m in api.Select(l => Constructor().Match(l)).Where(m => m.Success))
            {
                string name = m.Groups["name"].Value;
                if (name.EndsWith("Options", StringComparison.Ordinal) || s_settingsNotNamedOptions.Contains(name))
                {
                    yield return (project.Name, m.Groups["full"].Value, name, api);
                }
            }
        }
    }

    [Fact]
    public void EveryOptionsClass_HasValidated_AndNoOtherValidate()
    {
        var types = OptionsTypes().ToArray();
        types.Length.Should().BeGreaterThanOrEqualTo(23, "the options classes of issue 13 are all found");

        string[] missing = types.Where(t => !t.Api.Contains($"{t.FullName}.Validated() -> {t.FullName}!")).Select(t => t.FullName).ToArray();
        string[] handRolled = types.Where(t => t.Api.Any(l => l.StartsWith($"{t.FullName}.Validate(", StringComparison.Ordinal)))
            .Select(t => t.FullName).ToArray();

        missing.Should().BeEmpty("every options class validates through Validated()");
        handRolled.Should().BeEmpty("no options class keeps a Validate() of its own");
    }

    [Fact]
    public void EveryOptionsClass_HasAValidatorOnTheSharedBase()
    {
        string[] sources = OptionsTypes().Select(t => t.Project).Distinct()
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(SourceProject.RepositoryRoot, "src", p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToArray();

        string[] without = OptionsTypes()
            .Where(t => !sources.Any(s => Regex.IsMatch(s, $@"class \w+ : (Cipo\.Internal\.)?OptionsValidator<{t.Name}>")))
            .Select(t => t.FullName).ToArray();

        without.Should().BeEmpty("each options class has one validator derived from src/Shared/OptionsValidator.cs");
    }
}
