namespace Cipo.Architecture.Tests;

/// <summary>
/// The architecture rule of issue 13: dependencies point one way (Abstractions ← Cipo ← Text / TorchSharp; Evaluation on
/// top; Embedded and Cli last), and the TorchSharp backend brings no chart library (ScottPlot, SkiaSharp). Checked on the
/// csproj files, on the restore closure (obj/project.assets.json) and on the built assemblies, against the table of
/// <see cref="AllowedGraph"/>; docs/architecture.md shows the graph as it is.
/// </summary>
public sealed class PackageGraphTests
{
    private static readonly IReadOnlyList<SourceProject> s_projects = SourceProject.All();

    [Fact]
    public void EverySourceProject_IsInTheAllowedGraph()
    {
        s_projects.Select(p => p.Name).Should().BeEquivalentTo(AllowedGraph.Rules.Select(r => r.Project),
            "every project of src/ needs a row in tests/Cipo.Architecture.Tests/AllowedGraph.cs, and every row a project");
    }

    [Fact]
    public void ProjectReferences_FollowTheAllowedGraph()
    {
        string[] violations = s_projects.SelectMany(p => ArchitectureRules.ReferenceViolations(p.Name, p.ProjectReferences, "ProjectReference")).ToArray();

        violations.Should().BeEmpty("dependencies point one way:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void BuiltAssemblies_ReferenceOnlyAllowedCipoAssemblies()
    {
        string[] violations = s_projects.SelectMany(p => ArchitectureRules.ReferenceViolations(p.Name, p.AssemblyReferences(), "assembly reference")).ToArray();

        violations.Should().BeEmpty(string.Join("\n", violations));
    }

    [Fact]
    public void RestoreClosures_HoldNoForbiddenPackage()
    {
        string[] violations = s_projects.SelectMany(p => ArchitectureRules.PackageViolations(p.Name, p.ResolvedPackages(AllowedGraph.AcceptedUpstream)))
            .ToArray();

        violations.Should().BeEmpty(string.Join("\n", violations));
    }

    [Fact]
    public void TorchSharpBackend_BringsNoChartLibrary()
    {
        SourceProject torch = s_projects.Single(p => p.Name == "Cipo.TorchSharp");
        torch.ResolvedPackages().Should().Contain(["TorchSharp", "Microsoft.ML.Tokenizers"], "the closure is read through the project references");
        torch.ResolvedPackages().Should().NotContain(id => AllowedGraph.Matches("ScottPlot*", id) || AllowedGraph.Matches("HarfBuzzSharp*", id)
            || id.Equals("SkiaSharp.NativeAssets.Linux.NoDependencies", StringComparison.OrdinalIgnoreCase),
            "a consumer of Cipo.TorchSharp must not restore the report charts' libraries");
        torch.ResolvedPackages(AllowedGraph.AcceptedUpstream).Should().NotContain(id => AllowedGraph.Matches("ScottPlot*", id) || AllowedGraph.Matches("SkiaSharp*", id) || AllowedGraph.Matches("HarfBuzzSharp*", id),
            "apart from TorchSharp's own SkiaSharp 2.88.6, nothing chart-related may come with Cipo.TorchSharp");
    }

    [Fact]
    public void Rules_RejectAForbiddenReferenceAndPackage_SoAnEmptyResultMeansSomething()
    {
        ArchitectureRules.ReferenceViolations("Cipo.TorchSharp", ["Cipo.Abstractions", "Cipo.Evaluation", "TorchSharp"], "ProjectReference")
            .Should().ContainSingle().Which.Should().Contain("Cipo.TorchSharp → Cipo.Evaluation");
        ArchitectureRules.ReferenceViolations("Cipo.Abstractions", ["Cipo"], "assembly reference").Should().ContainSingle();
        ArchitectureRules.ReferenceViolations("Cipo.Unknown", [], "ProjectReference").Should().ContainSingle().Which.Should().Contain("not in the allowed graph");
        ArchitectureRules.PackageViolations("Cipo.TorchSharp", ["TorchSharp", "ScottPlot", "SkiaSharp.NativeAssets.Linux.NoDependencies", "TorchSharp-cpu"])
            .Should().HaveCount(3);
        ArchitectureRules.PackageViolations("Cipo.Evaluation", ["ScottPlot", "SkiaSharp"]).Should().BeEmpty();
        SourceProject.Read(Path.Combine(SourceProject.RepositoryRoot, "src", "Cipo.Evaluation", "Cipo.Evaluation.csproj"))
            .ResolvedPackages(AllowedGraph.AcceptedUpstream).Should().Contain(["ScottPlot", "SkiaSharp"], "the closure walk finds the chart packages where they are");
        ArchitectureRules.PackageViolations("Cipo.Evaluation", ["TorchSharp"]).Should().ContainSingle();
        ArchitectureRules.ReferenceViolations("Cipo.Cli", AllowedGraph.Rules.Select(r => r.Project), "ProjectReference").Should().BeEmpty();
    }

    [Fact]
    public void ArchitectureDoc_DrawsTheGraphAsItIs()
    {
        string path = Path.Combine(SourceProject.RepositoryRoot, "docs", "architecture.md");
        string current = File.ReadAllText(path).ReplaceLineEndings("\n");
        string expected = GraphDocument.Splice(current, GraphDocument.Render(s_projects));
        if (Environment.GetEnvironmentVariable("CIPO_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            current = expected;
        }

        current.Should().Be(expected, "docs/architecture.md must show the package graph of src/; regenerate with "
            + "CIPO_UPDATE_DOCS=1 dotnet test tests/Cipo.Architecture.Tests -c Release --filter ArchitectureDoc. Expected region:\n"
            + GraphDocument.Render(s_projects));
    }
}
