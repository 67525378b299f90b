namespace Cipo.Architecture.Tests;

// The package graph is a decision, so it is written down here rather than inferred; the tests hold the projects to it.

/// <summary>
/// The projects of <c>src/</c>, lowest layer first: what each may reference and which packages must never be in its
/// restore closure. A reference not listed under <see cref="Rule.MayReference"/> fails
/// <see cref="PackageGraphTests"/>; so does a new project missing from this table.
/// </summary>
internal static class AllowedGraph
{
    /// <summary>One project's rule.</summary>
    /// <param name="Project">The project (and assembly) name.</param>
    /// <param name="MayReference">The Cipo projects it may reference directly.</param>
    /// <param name="ForbiddenPackages">Package ids it must not bring, directly or transitively; a trailing <c>*</c> matches a prefix.</param>
    public sealed record Rule(string Project, string[] MayReference, string[] ForbiddenPackages);

    /// <summary>Chart rendering: ScottPlot and the SkiaSharp / HarfBuzz native libraries it brings.</summary>
    private static readonly string[] s_charts = ["ScottPlot*", "SkiaSharp*", "HarfBuzzSharp*"];

    /// <summary>TorchSharp and libtorch: the projects that say "No TorchSharp".</summary>
    private static readonly string[] s_torch = ["TorchSharp*", "libtorch*"];

    /// <summary>A native libtorch backend: chosen by applications, never by a library.</summary>
    private static readonly string[] s_nativeBackend = ["TorchSharp-*", "libtorch-*"];

    private const string Abstractions = "Cipo.Abstractions", Core = "Cipo", Text = "Cipo.Text", TorchSharp = "Cipo.TorchSharp",
        Evaluation = "Cipo.Evaluation", Embedded = "Cipo.Embedded", Cli = "Cipo.Cli";

    /// <summary>
    /// Third-party packages whose own dependencies are accepted as they are: TorchSharp 0.107.0 itself depends on
    /// SkiaSharp 2.88.6 (its torchvision image I/O; Windows and macOS natives only), so every TorchSharp application restores
    /// that whatever Cipo does. The rules judge what Cipo adds; a forbidden package reachable only through these is not a violation.
    /// </summary>
    public static readonly IReadOnlyList<string> AcceptedUpstream = ["TorchSharp"];

    /// <summary>Every project of src/, lowest layer first.</summary>
    public static readonly IReadOnlyList<Rule> Rules =
    [
        new(Abstractions, [], [.. s_charts, .. s_torch]),
        new(Core, [Abstractions], [.. s_charts, .. s_torch]),
        new(Text, [Abstractions, Core], [.. s_charts, .. s_torch]),
        new(TorchSharp, [Abstractions, Core, Text], [.. s_charts, .. s_nativeBackend]),
        new(Evaluation, [Abstractions, Core, Text], [.. s_torch]),
        new(Embedded, [Abstractions, Core, Text, TorchSharp, Evaluation], s_nativeBackend),
        new(Cli, [Abstractions, Core, Text, TorchSharp, Evaluation, Embedded], []),
    ];

    /// <summary>The rule of <paramref name="project"/>, or null when the table does not know it.</summary>
    public static Rule? Find(string project) => Rules.FirstOrDefault(r => r.Project == project);

    /// <summary>Whether <paramref name="packageId"/> matches <paramref name="pattern"/> (exact, or a prefix before a trailing <c>*</c>), ignoring case.</summary>
    public static bool Matches(string pattern, string packageId) => pattern.EndsWith('*')
        ? packageId.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : packageId.Equals(pattern, StringComparison.OrdinalIgnoreCase);
}
