namespace Occam.Cli.Engine;

/// <summary>Receives progress from the engine; the command renders it on stderr. Implementations are thread-safe.</summary>
internal interface IProgressSink
{
    /// <summary>Reports where a task stands.</summary>
    void Report(ProgressUpdate update);
}
