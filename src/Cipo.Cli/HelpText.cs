namespace Cipo.Cli;

/// <summary>The usage texts.</summary>
internal static class HelpText
{
    public const string ExitCodesText = """
        Exit codes:
          0  success: the run reached the leakage threshold (converged)
          1  finished at the round limit without reaching the leakage threshold (model and report are still written)
          2  bad input: arguments, JSONL, config file, option values, model folder, an --out that is not cipo's to
             write or is in use, or an --out holding a run of other inputs; nothing is written to --out
          3  cancelled (Ctrl+C); rerun the same command with the same --out to resume
          4  unexpected error, or a failure that is not bad input (a full or read-only disk, training that diverged
             to NaN); the message says which
        """;

    public const string OutputFolderText = """
        Output folder: cipo writes only into an --out that is missing or empty, or that an earlier run of the same
        command created (it holds .cipo-output.json), and never into, inside or above one of its inputs (symbolic
        links resolved). One run at a time per folder: a run holds --out/.cipo-lock until it ends. Temporaries that
        an interrupted run left there are removed on start. Anything else exits 2 naming the folder and the reason.
        """;

    public static string Main => $"""
        cipo {CipoCli.Version} - unlearn knowledge from reasoning models with CiPO (Cipo.Sdk)

        Usage:
          cipo <command> [options]

        Commands:
          unlearn    Make a model forget targets in its reasoning trace and its answer, keeping retained knowledge
          audit      Measure what a model still knows (leakage, knowledge, membership, utility) on a probe file
          demo       The main job on the embedded default: train or load the reasoning-world model, unlearn with
                     CiPO, audit before and after, print the table and write the report
          bench      Every method (CiPO, ablations, baselines) on the same worlds, targets and budget: results.md,
                     results.json, charts
          report     Rewrite (--update) or check (--check) the tables that Markdown files generate from a
                     benchmark's results.json; redraw a report folder's results.md and charts (--render)

        Options:
          -h, --help    Show this help
          --version     Show the version

        Run 'cipo unlearn --help' for the options of a command.

        {ExitCodesText}
        """;

    public static string Unlearn => $"""
        cipo unlearn - make a model forget targets in its reasoning trace and its answer

        Usage:
          cipo unlearn --model DIR --forget FILE --out DIR [options]

        Required:
          --model DIR          Hugging Face model folder (config.json, *.safetensors, tokenizer.json or word-tokenizer.json)
          --forget FILE        forget targets, JSONL: {"{"}"id", "prompts" | "prompt", "answer", "aliases"?, "keywords"?{"}"}
          --out DIR            output folder: model/ (HF layout), run-report.json, .cipo-run/ (checkpoints for resume)

        Options:
          --retain FILE        retain examples, JSONL: {"{"}"id"?, "prompt", "reasoning"?, "answer"?{"}"}
          --config FILE        JSON configuration; sections Cipo, Cipo:Counterfactuals, Cipo:Pairs, Cipo:Optimizer,
                               Cipo:Audit (see docs/cli.md and docs/configuration.md)
          --device NAME        cpu (default), cuda or cuda:N
          --seed N             overrides Cipo:Seed
          --max-rounds N       overrides Cipo:MaxRounds
          --threads N          CPU threads of TorchSharp (default: its own choice, usually the core count)
          --save-dtype T       dtype of the saved model: input (default: the input model's, e.g. bf16), bf16, f16, f32
          --json               print the run summary as JSON to stdout (progress and logs go to stderr)
          --restart            discard the run in --out (its .cipo-run/, model/ and run-report.json) and start afresh
          -v, --verbose        log at Information (default: Warning) and print every optimizer step
          -h, --help           show this help

        Everything is validated before --out is touched: the model folder loads (its weights finite, the model within
        the memory available), the JSONL files parse (UTF-8, lines up to 1 MiB, prompts within the model's context),
        the config binds and the options validate. An interrupted run (Ctrl+C, crash) resumes from --out/.cipo-run
        when the same command is run again, and only while the content of every input (model files, forget, retain
        and config files, options) is what the run started from: a changed input exits 2 naming it (--restart starts
        over).

        {OutputFolderText}

        {ExitCodesText}
        """;

    public static string Audit => $"""
        cipo audit - measure what a model still reveals of forgotten knowledge, and what it keeps

        Usage:
          cipo audit --model DIR --probes FILE --out DIR [options]

        Required:
          --model DIR          Hugging Face model folder (config.json, *.safetensors, tokenizer.json or word-tokenizer.json)
          --probes FILE        audit probes, JSONL: {"{"}"id", "prompt", "kind": forget|retain|reasoning|holdout,
                               "forbidden"?: [..] (forget), "expected_answer"? (retain, reasoning, holdout), "group"?,
                               "target_id"?, "reference_trace"?, "perturbed_answers"?: [..], "paraphrased_answer"?,
                               "reference_truth_ratio"?{"}"} (see docs/data-formats.md, "Audit probes")
          --out DIR            output folder: audit.json

        Options:
          --k N                samples per forget probe for leak@k (default 16, temperature 1)
          --max-new-tokens N   most tokens per generated trajectory (default 128)
          --relearn-steps N    relearning attack: fine-tune a copy N steps on half the forget targets (default 0: off)
          --seed N             seed of sampling and of the relearning attack (default 0)
          --device NAME        cpu (default), cuda or cuda:N
          --threads N          CPU threads of TorchSharp
          --json               print audit.json's content to stdout instead of the table
          -v, --verbose        log the duration of each part of the audit
          -h, --help           show this help

        Everything is validated before --out is touched: the probe file parses, the options are in range and the model
        loads. Exit codes: 0 audited, 2 bad input (nothing written), 3 cancelled, 4 unexpected error.

        {OutputFolderText}
        """;

    public static string Demo => $"""
        cipo demo - the main job on the embedded default (no download, no GPU)

        Usage:
          cipo demo [options]

        Builds the fictitious reasoning world, trains its model (or loads it from the cache) and a gold model retrained
        without the forget split, forgets 10% of the people with CiPO (training on the unlearning prompts and the
        retain-train data, stopping on validation probes), runs the full audit on held-out test probes before and after
        (leakage in trace and answer, greedy and leak@k, over direct, paraphrased, multi-hop and indirect probes, each
        target against its chance floor; truth ratio and forget quality; PrivLeak; relearning attack; utility on people
        and problems no unlearning saw), prints a table and writes the report folder.

        Options:
          --out DIR        output folder: model/, report.md, report.json, charts/*.png, .cipo-run/ (default: cipo-demo)
          --quick          fewer probes and samples, no relearning attack (same model, split and budget)
          --smoke          a tiny world and model that train in seconds, one short round: checks an
                           installation end to end (the numbers mean nothing)
          --method NAME    cipo (default), cipo-single-round, cipo-answer-only, ga, graddiff, npo, simnpo, idk-dpo,
                           reasoned-idk
          --world N        seed of the world (its people, split and models); default 1
          --seed N         seed of the method (sampling, optimisation); default 1
          --rounds N       most rounds of an iterative method (default 2)
          --steps-per-round N
                           optimizer steps per round (default 120); one-shot methods get rounds × steps in one round
          --learning-rate X
                           peak AdamW learning rate of the method (default 3e-4)
          --retain-weight X
                           weight of the retain NLL for methods that use retain data (default 3)
          --neighbour-repeats N
                           times each neighbour question is in the retain data (default 1)
          --cache DIR      model cache (default: $CIPO_CACHE or ~/.cache/cipo)
          --no-cache       train the models afresh into --out/.model-cache
          --threads N      CPU threads of TorchSharp (default 1: this small model runs fastest on one thread;
                           a first run trains its two models side by side instead)
          --json           print the summary as JSON to stdout
          -v, --verbose    log the stages at Information
          -h, --help       show this help

        The first run trains two small models (a few minutes on 2 cores); later runs load them from the cache.
        A cancelled run resumes from --out/.cipo-run when the same command is run again.

        {OutputFolderText}

        Exit codes: 0 the compliance summary passes; 1 it fails (the summary names each failing target and why; the
        report is still written); 2 bad input; 3 cancelled; 4 unexpected error.
        """;

    public static string Bench => $"""
        cipo bench - every unlearning method on the same worlds, targets and budget

        Usage:
          cipo bench [options]

        Runs CiPO, its ablations (single round, answer-only) and the baselines (GA, GradDiff, NPO, SimNPO, IdkDPO,
        Reasoned-IDK) on each world of the embedded reasoning world — each world with its own people, split, base and
        retrained model — with the same targets, budget and probes for every method, audits them on the world's test
        probes, and writes results.json, results.md (mean ± std across worlds, base and retrained rows) and charts.
        A finished run is kept in --out/runs and reused only while its options, models and code are unchanged.

        Options:
          --out DIR          output folder (default: cipo-bench)
          --quick            one world, fewer probes and samples, no relearning attack
          --worlds LIST      comma-separated world seeds (default: 1,2,3; quick: 1)
          --methods LIST     comma-separated method names (default: all)
          --rounds N         most rounds of the iterative methods (default 2)
          --steps-per-round N
                             optimizer steps per round (default 120); one-shot methods get rounds × steps
          --learning-rate X  peak AdamW learning rate of every method (default 3e-4)
          --retain-weight X  weight of the retain NLL for methods that use retain data (default 3)
          --neighbour-repeats N
                             times each neighbour question is in the retain data (default 1)
          --cache DIR        model cache (default: $CIPO_CACHE or ~/.cache/cipo)
          --parallel N       runs side by side (default: the processor count, at most 8)
          --threads N        CPU threads of TorchSharp (default 1: runs go side by side instead)
          --json             print the per-method summary as JSON to stdout
          -v, --verbose      log the stages at Information
          -h, --help         show this help

        {OutputFolderText}

        Exit codes: 0 done; 2 bad input; 3 cancelled; 4 unexpected error.
        """;

    public static string Report => $"""
        cipo report - keep the tables of Markdown files in step with the benchmark results they come from

        Usage:
          cipo report --update FILE [FILE ...]
          cipo report --check FILE [FILE ...]
          cipo report --render FOLDER [FOLDER ...]

        A generated region of a Markdown file is the text between two marker lines:

          <!-- cipo:generated results="RELATIVE/PATH/results.json" table="headline" -->
          ...
          <!-- cipo:generated:end -->

        results: a results.json written by 'cipo bench', relative to the Markdown file's folder; table: headline,
        full, worlds or runs. The region's body is the table rendered from that file (markers inside fenced code
        blocks are examples and left alone).

        Options:
          --update       rewrite each named file whose regions changed (a temporary file in the same folder, then
                         a rename; no other file is touched) and print which were updated
          --check        change nothing; exit 1 naming every file whose regions differ from their results
          --render       redraw results.md and charts/*.png of each report folder from its results.json (left as
                         it is): a report brought up to this version's tables and charts without rerunning 'cipo bench';
                         only a folder that 'cipo bench' created (.cipo-output.json), and not while a run holds its lock
          -h, --help     show this help

        Every file is read and rendered before any is written. Exit codes: 0 up to date or updated; 1 (--check) a file
        is out of date; 2 bad input (unknown option, missing file, unknown table, missing results file, unterminated
        region, a --render folder not made by 'cipo bench' or in use; nothing is written); 3 cancelled; 4 unexpected
        error.
        """;

    /// <summary>The help of <paramref name="command"/>, or null for an unknown command.</summary>
    public static string? ForCommand(string command) => command switch
    {
        "unlearn" => Unlearn,
        "audit" => Audit,
        "demo" => Demo,
        "bench" => Bench,
        "report" => Report,
        _ => null,
    };
}
