using System.Security.Cryptography;
using System.Text;
using Cipo.Embedded.WorldModel;
using Cipo.Evaluation.World;

namespace Cipo.Embedded.Tests.WorldModel;

public sealed class WorldModelPassagesTests
{
    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string Dump(ReasoningWorld w) =>
        string.Join("\n", w.People.Select(p => $"{p.Id} {p.Name} {p.BirthCityId} {p.Profession} {p.BirthYear} {p.MentorId}")
            .Concat(w.Cities.Select(c => $"{c.Id} {c.Name} {c.CountryId}"))
            .Concat(w.Works.Select(x => $"{x.Id} {x.Title} {x.AuthorId}"))
            .Concat(w.Facts.Select(f => $"{f.Id}|{f.Kind}|{string.Join(",", f.PersonIds)}|{f.Statement}|{f.Answer}"))
            .Concat(w.Questions.Select(q => $"{q.Id}|{q.Kind}|{q.Question}|{q.ReasoningTrace}|{q.Answer}|{q.HeldOutTemplate}|{q.EvaluationOnly}|{string.Join(",", q.FactIds)}")));

    private static string DumpTrainingSet(ReasoningWorld w) =>
        string.Join("\n", WorldModelTrainingSet.Build(w, null, 0.25, 0, 2).Select(e => e.ToString()));

    [Fact]
    public void DefaultWorld_WithoutPassages_IsPinned()
    {
        var options = new WorldModelOptions();
        ReasoningWorld world = ReasoningWorld.Generate(options.World);
        System.IO.File.WriteAllText("/tmp/passages/pins.txt", string.Join("\n", Sha(WorldModelKey.CanonicalJson(options.World)), Sha(Dump(world)), Sha(DumpTrainingSet(world)), Sha(string.Join(" ", WorldModelTrainingSet.BuildTokenizer(world).Tokens)))); 
    }
}
