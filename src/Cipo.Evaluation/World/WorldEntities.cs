namespace Cipo.Evaluation.World;

/// <summary>How a person is used in training.</summary>
public enum PersonGroup
{
    /// <summary>Facts are trained; forget and retain people are drawn from this group.</summary>
    Known,
    /// <summary>Only "I don't know" questions are trained (teaches honest uncertainty on unfamiliar names).</summary>
    Stranger,
    /// <summary>Never trained: evaluation of honest uncertainty.</summary>
    Holdout,
}

/// <summary>A fictitious person.</summary>
/// <param name="Id">Stable id (<c>p000</c>, <c>p001</c>, …).</param>
/// <param name="FirstName">Invented first name (one word).</param>
/// <param name="LastName">Invented last name (one word).</param>
/// <param name="Group">How the person is used in training.</param>
/// <param name="BirthCityId">Id of the birth city.</param>
/// <param name="Profession">Profession (one lower-case word).</param>
/// <param name="BirthYear">Birth year.</param>
/// <param name="MentorId">Id of the mentor, always a known person other than this one.</param>
/// <param name="WorkIds">Ids of the works created by the person.</param>
public sealed record Person(string Id, string FirstName, string LastName, PersonGroup Group, string BirthCityId,
    string Profession, int BirthYear, string MentorId, IReadOnlyList<string> WorkIds)
{
    /// <summary>"First Last".</summary>
    public string Name => FirstName + " " + LastName;
}

/// <summary>An invented city.</summary>
/// <param name="Id">Stable id (<c>c00</c>, …).</param>
/// <param name="Name">Invented name (one word).</param>
/// <param name="CountryId">Id of the country it lies in.</param>
public sealed record City(string Id, string Name, string CountryId);

/// <summary>An invented country.</summary>
/// <param name="Id">Stable id (<c>k00</c>, …).</param>
/// <param name="Name">Invented name (one word).</param>
public sealed record Country(string Id, string Name);

/// <summary>An invented work (a book).</summary>
/// <param name="Id">Stable id (<c>w000</c>, …).</param>
/// <param name="Title">Title, several words starting with "The".</param>
/// <param name="AuthorId">Id of the person who wrote it.</param>
public sealed record Work(string Id, string Title, string AuthorId);

/// <summary>One atomic fact, answered by a single-hop question of <see cref="Kind"/>.</summary>
/// <param name="Id">Stable id such as <c>p012.birthplace</c>, <c>w003.author</c>, <c>c04.country</c>.</param>
/// <param name="Kind">The single-hop question kind that asks it.</param>
/// <param name="PersonIds">People involved (the owner first; for a mentor fact, then the mentor).</param>
/// <param name="Statement">The fact as a sentence ("Ada Quill was born in Milbrook .").</param>
/// <param name="Answer">The short answer.</param>
public sealed record WorldFact(string Id, QuestionKind Kind, IReadOnlyList<string> PersonIds, string Statement, string Answer);
