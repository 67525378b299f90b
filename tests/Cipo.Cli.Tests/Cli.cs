namespace Cipo.Cli.Tests;

/// <summary>Runs the CLI in-process and captures its output.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CipoCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the CLI and asserts a refusal as the output-folder rules promise it: exit 2, a stderr containing each of
    /// <paramref name="expected"/>, and every file and folder under <paramref name="root"/> as it was before the run.
    /// </summary>
    public static async Task<string> RefusesAsync(string root, string[] args, params string[] expected)
    {
        var before = UnlearnInputs.Snapshot(root);

        var (code, _, stderr) = await RunAsync(args);

        code.Should().Be(ExitCodes.BadInput, stderr);
        foreach (string text in expected)
        {
            stderr.Should().Contain(text);
        }
        UnlearnInputs.Snapshot(root).Should().Equal(before, "a refused run writes and deletes nothing");
        return stderr;
    }
}
