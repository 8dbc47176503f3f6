using Occam.Cli.Engine;
using Spectre.Console;

namespace Occam.Cli.Output;

/// <summary>Live progress bars on an interactive stderr, one per task.</summary>
internal sealed class SpectreProgressRenderer(IAnsiConsole console) : IProgressRenderer
{
    /// <inheritdoc />
    public T Run<T>(Func<IProgressSink, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new Sink(context)));
    }

    private sealed class Sink(ProgressContext context) : IProgressSink
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(ProgressUpdate update)
        {
            lock (_gate)
            {
                if (!_tasks.TryGetValue(update.Task, out var task))
                {
                    task = context.AddTask(Markup.Escape(update.Task), autoStart: true, maxValue: Math.Max(update.Total, double.Epsilon));
                    _tasks.Add(update.Task, task);
                }

                task.MaxValue = Math.Max(update.Total, double.Epsilon);
                task.Value = Math.Clamp(update.Completed, 0, task.MaxValue);
                if (update.Status is not null)
                {
                    task.Description = Markup.Escape($"{update.Task}: {update.Status}");
                }
            }
        }
    }
}
