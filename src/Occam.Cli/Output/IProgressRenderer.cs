using Occam.Cli.Engine;

namespace Occam.Cli.Output;

/// <summary>Runs long work while rendering the progress it reports (always on stderr).</summary>
internal interface IProgressRenderer
{
    /// <summary>Runs <paramref name="work"/>, rendering what it reports to the sink it is given.</summary>
    T Run<T>(Func<IProgressSink, T> work);
}
