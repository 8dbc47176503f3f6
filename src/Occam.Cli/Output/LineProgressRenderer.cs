using System.Globalization;
using Occam.Cli.Engine;

namespace Occam.Cli.Output;

/// <summary>Progress for a non-interactive stderr (a log file, a pipe, a test): one line per new status, no redrawing.</summary>
internal sealed class LineProgressRenderer(TextWriter error) : IProgressRenderer
{
    /// <inheritdoc />
    public T Run<T>(Func<IProgressSink, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(new Sink(error));
    }

    private sealed class Sink(TextWriter error) : IProgressSink
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, string> _lastStatus = new(StringComparer.Ordinal);

        public void Report(ProgressUpdate update)
        {
            if (update.Status is null)
            {
                return;
            }

            lock (_gate)
            {
                if (_lastStatus.TryGetValue(update.Task, out string? last) && last == update.Status)
                {
                    return;
                }

                _lastStatus[update.Task] = update.Status;
                string done = update.Completed.ToString("0.##", CultureInfo.InvariantCulture);
                string total = update.Total.ToString("0.##", CultureInfo.InvariantCulture);
                error.WriteLine($"[{update.Task} {done}/{total}] {update.Status}");
            }
        }
    }
}
