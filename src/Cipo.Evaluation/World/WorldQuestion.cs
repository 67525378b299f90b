namespace Cipo.Evaluation.World;

/// <summary>The kind of a question.</summary>
public enum QuestionKind
{
    /// <summary>Single hop: where a person was born.</summary>
    Birthplace,
    /// <summary>Single hop: a person's profession.</summary>
    Profession,
    /// <summary>Single hop: a person's birth year.</summary>
    BirthYear,
    /// <summary>Single hop: a person's mentor.</summary>
    Mentor,
    /// <summary>Single hop: the (first) work a person wrote.</summary>
    WorkOf,
    /// <summary>Single hop: the author of a work.</summary>
    AuthorOf,
    /// <summary>Single hop: the country a city lies in.</summary>
    CityCountry,
    /// <summary>Two hops: person → city → country.</summary>
    BirthCountry,
    /// <summary>Three hops: work → author → city → country.</summary>
    AuthorCountry,
    /// <summary>Two hops: person → mentor → city.</summary>
    MentorBirthplace,
    /// <summary>Arithmetic over a fact: age in a given year.</summary>
    AgeInYear,
    /// <summary>Arithmetic over a fact: the year a person turned a given age.</summary>
    YearAtAge,
    /// <summary>Arithmetic word problem with no world knowledge.</summary>
    PlainArithmetic,
    /// <summary>A question about a stranger or holdout person: the trace reasons to "I don't know".</summary>
    Unknown,
    /// <summary>Evaluation only, two hops through a work: work → author → birth city ("reaches a person through their work").</summary>
    AuthorBirthplace,
    /// <summary>Evaluation only: work → author → birth year.</summary>
    AuthorBirthYear,
    /// <summary>Evaluation only: work → author → profession.</summary>
    AuthorProfession,
    /// <summary>Evaluation only: person → mentor → profession ("reaches the mentor through their mentee").</summary>
    MentorProfession,
    /// <summary>Evaluation only: person → mentor → birth year.</summary>
    MentorBirthYear,
    /// <summary>Hazard domain option: what a step of a procedure adds (a precursor of an agent, an ingredient of a craft).</summary>
    ProcedureItem,
    /// <summary>Hazard domain option: how much of a step's precursor or ingredient a procedure takes.</summary>
    ProcedureQuantity,
    /// <summary>Hazard domain option: the condition (temperature and vessel) a step's precursor or ingredient is added in.</summary>
    ProcedureCondition,
    /// <summary>Hazard domain option, two steps: what a procedure adds after a given precursor or ingredient.</summary>
    ProcedureNextItem,
    /// <summary>A passage (<see cref="WorldOptions.PassagesPerWork"/>): continue it word for word from its first words.</summary>
    PassageContinuation,
    /// <summary>A passage's detail: the item its character holds (a colour and a thing).</summary>
    PassageItem,
    /// <summary>A passage's detail: the city its character lives in.</summary>
    PassagePlace,
    /// <summary>A passage's detail: how many things it counts (a number word).</summary>
    PassageCount,
}

/// <summary>A question with a short chain of thought and a final answer.</summary>
/// <param name="Id">Unique id (<c>birthplace.0:p012</c>).</param>
/// <param name="PersonIds">People the question involves (empty for plain arithmetic and city questions).</param>
/// <param name="Kind">The kind of question.</param>
/// <param name="TemplateId">Template that phrased it (<c>birthplace.0</c>).</param>
/// <param name="Question">The question, words and punctuation separated by spaces.</param>
/// <param name="ReasoningTrace">The chain of thought.</param>
/// <param name="Answer">The final answer.</param>
/// <param name="HeldOutTemplate">Phrased by a held-out paraphrase template: never part of the training questions.</param>
public sealed record WorldQuestion(string Id, IReadOnlyList<string> PersonIds, QuestionKind Kind, string TemplateId,
    string Question, string ReasoningTrace, string Answer, bool HeldOutTemplate)
{
    /// <summary>Ids of the <see cref="WorldFact"/>s the reasoning uses (empty for plain arithmetic and unknown questions).</summary>
    public IReadOnlyList<string> FactIds { get; init; } = [];

    /// <summary>
    /// Phrased by an evaluation-only template (<see cref="QuestionTemplate.EvaluationOnly"/>): a wording or a kind of
    /// question no training set, no unlearning run and no validation probe uses; only test probes ask it.
    /// </summary>
    public bool EvaluationOnly { get; init; }

    /// <summary>As a reasoning trajectory.</summary>
    public ReasoningTrajectory ToTrajectory() => new(Question, ReasoningTrace, Answer);

    /// <summary>As a retain example with its full trajectory.</summary>
    public RetainExample ToRetainExample() => new() { Id = Id, Prompt = Question, ReasoningTrace = ReasoningTrace, Answer = Answer };
}

/// <summary>A phrasing of a question kind.</summary>
/// <param name="Id">Stable id (<c>birthplace.0</c>).</param>
/// <param name="Kind">The kind it phrases.</param>
/// <param name="Text">Text with placeholders <c>{X}</c> (person), <c>{W}</c> (work), <c>{C}</c> (city), <c>{Y}</c> (year), <c>{A}</c> (age), arithmetic slots or passage slots (<c>{P}</c> first words, <c>{R}</c> character, <c>{T}</c> things).</param>
/// <param name="HeldOut">A held-out paraphrase (evaluation only).</param>
public sealed record QuestionTemplate(string Id, QuestionKind Kind, string Text, bool HeldOut)
{
    /// <summary>
    /// Test probes only: a wording (or a kind of question) that no training set, no unlearning run and no validation
    /// probe uses. Always <see cref="HeldOut"/>; written in words the training templates already use.
    /// </summary>
    public bool EvaluationOnly { get; init; }
}
