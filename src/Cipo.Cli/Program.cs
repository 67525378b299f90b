using Cipo.Cli;

// Ctrl+C cancels the run cleanly (exit code 3, resumable); a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("Cancelling… (press Ctrl+C again to stop at once)");
        cancellation.Cancel();
    }
};
return await CipoCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
