using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace Cipo.Architecture.Tests;

// Reads what the build reads (csproj, obj/project.assets.json) and what it wrote (the assembly), not the types: a reference
// the code never uses still ships to every consumer of the package.

/// <summary>One project of <c>src/</c> as declared and as built.</summary>
/// <param name="Name">The project (and assembly) name.</param>
/// <param name="Folder">Its folder.</param>
/// <param name="ProjectReferences">The projects its csproj references, by name, in file order.</param>
/// <param name="PackageReferences">The packages its csproj references directly, in file order.</param>
internal sealed record SourceProject(string Name, string Folder, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences)
{
    /// <summary>The repository root (the folder of Cipo.Sdk.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every <c>src/*/*.csproj</c>, in the order of <see cref="AllowedGraph.Rules"/>, then any unknown one by name.</summary>
    public static IReadOnlyList<SourceProject> All()
    {
        string[] files = Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .SelectMany(d => Directory.GetFiles(d, "*.csproj")).ToArray();
        List<string> order = AllowedGraph.Rules.Select(r => r.Project).ToList();
        int Rank(string name) => order.IndexOf(name) is var i and >= 0 ? i : int.MaxValue;
        return files.Select(Read).OrderBy(p => Rank(p.Name)).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Reads one csproj.</summary>
    public static SourceProject Read(string csproj)
    {
        XDocument xml = XDocument.Load(csproj);
        string[] Items(string item) => xml.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>().ToArray();
        return new SourceProject(Path.GetFileNameWithoutExtension(csproj), Path.GetDirectoryName(csproj)!,
            Items("ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))).ToArray(),
            Items("PackageReference"));
    }

    /// <summary>
    /// Every package of the restore closure (direct and transitive, through project references too), from
    /// <c>obj/project.assets.json</c>: what <c>dotnet list package --include-transitive</c> lists and what a consumer of
    /// the package restores. The dependencies of a package named in <paramref name="notExpanded"/> are not followed (the
    /// package itself is listed), so a package reachable only through it is left out.
    /// </summary>
    public IReadOnlyList<string> ResolvedPackages(IReadOnlyCollection<string>? notExpanded = null)
    {
        string assets = Path.Combine(Folder, "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            throw new FileNotFoundException($"{assets} is missing: restore the solution first (dotnet restore Cipo.Sdk.sln).", assets);
        }
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(assets));
        // The target without a runtime identifier ("net10.0"): name → (is a package, dependency names).
        JsonProperty target = json.RootElement.GetProperty("targets").EnumerateObject().First(t => !t.Name.Contains('/', StringComparison.Ordinal));
        var nodes = target.Value.EnumerateObject().ToDictionary(
            l => l.Name.Split('/')[0],
            l => (Package: l.Value.GetProperty("type").GetString() == "package",
                Dependencies: l.Value.TryGetProperty("dependencies", out JsonElement d) ? d.EnumerateObject().Select(x => x.Name).ToArray() : []),
            StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(json.RootElement.GetProperty("projectFileDependencyGroups").EnumerateObject()
            .SelectMany(g => g.Value.EnumerateArray()).Select(d => d.GetString()!.Split(' ')[0]));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var packages = new List<string>();
        while (queue.TryDequeue(out string? name))
        {
            if (!seen.Add(name) || !nodes.TryGetValue(name, out var node))
            {
                continue;
            }
            if (node.Package)
            {
                packages.Add(name);
            }
            if (notExpanded?.Contains(name, StringComparer.OrdinalIgnoreCase) != true)
            {
                foreach (string dependency in node.Dependencies)
                {
                    queue.Enqueue(dependency);
                }
            }
        }
        return packages.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The names of the assemblies the built assembly references (its metadata, as the runtime will load them).</summary>
    public IReadOnlyList<string> AssemblyReferences()
    {
        var metadata = typeof(SourceProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        string dll = Path.Combine(Folder, "bin", metadata["Configuration"]!, metadata["TargetFramework"]!, Name + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution in the same configuration as this test.", dll);
        }
        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).Order(StringComparer.Ordinal).ToArray();
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Cipo.Sdk.sln"))) return dir;
        }
        throw new InvalidOperationException("Cannot find the repository root (Cipo.Sdk.sln) above " + AppContext.BaseDirectory);
    }
}
