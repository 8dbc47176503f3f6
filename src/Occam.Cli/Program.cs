using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the work at its next step (a run keeps its checkpoint to resume); a second one ends the process at once.
    e.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
};
return Occam.Cli.CommandLine.Run(args, Console.Out, Console.Error, engine: null, interactive: !Console.IsErrorRedirected, interrupted.Token);
