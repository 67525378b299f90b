namespace Cipo.Architecture.Tests;

// Pure functions over names, so a test can feed them a forbidden graph and see them fail.

/// <summary>Checks references and packages against <see cref="AllowedGraph"/>; each violation is one readable line.</summary>
internal static class ArchitectureRules
{
    /// <summary>The references of <paramref name="project"/> to Cipo projects that its rule does not allow.</summary>
    /// <param name="project">The referencing project.</param>
    /// <param name="references">The project or assembly names it references (non-Cipo names are ignored).</param>
    /// <param name="what">How the reference was found, for the message (for example "ProjectReference").</param>
    public static IReadOnlyList<string> ReferenceViolations(string project, IEnumerable<string> references, string what)
    {
        AllowedGraph.Rule? rule = AllowedGraph.Find(project);
        if (rule is null)
        {
            return [$"{project} is not in the allowed graph (tests/Cipo.Architecture.Tests/AllowedGraph.cs)"];
        }
        return references.Where(IsCipo).Where(r => r != project && !rule.MayReference.Contains(r))
            .Select(r => $"{project} → {r} ({what}) is not allowed; {project} may reference: {Names(rule.MayReference)}")
            .ToArray();
    }

    /// <summary>The packages in <paramref name="project"/>'s closure that its rule forbids.</summary>
    /// <param name="project">The project.</param>
    /// <param name="packages">Every package id of its restore closure (direct and transitive).</param>
    public static IReadOnlyList<string> PackageViolations(string project, IEnumerable<string> packages)
    {
        AllowedGraph.Rule? rule = AllowedGraph.Find(project);
        if (rule is null)
        {
            return [$"{project} is not in the allowed graph (tests/Cipo.Architecture.Tests/AllowedGraph.cs)"];
        }
        return packages.SelectMany(id => rule.ForbiddenPackages.Where(p => AllowedGraph.Matches(p, id))
                .Select(p => $"{project} brings package {id} (forbidden: {p})"))
            .ToArray();
    }

    /// <summary>Whether an assembly or project name is one of ours.</summary>
    public static bool IsCipo(string name) => name == "Cipo" || name.StartsWith("Cipo.", StringComparison.Ordinal);

    private static string Names(string[] names) => names.Length == 0 ? "nothing" : string.Join(", ", names);
}
