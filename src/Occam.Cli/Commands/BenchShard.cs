using System.CommandLine;
using System.Globalization;
using Occam.Benchmarks;

namespace Occam.Cli.Commands;

/// <summary>Which shard of a sweep this process runs: cells k with k mod <see cref="Count"/> = <see cref="Index"/>.</summary>
/// <param name="Index">The shard, 0 ≤ index &lt; count.</param>
/// <param name="Count">The number of shards.</param>
/// <param name="Source">Where the numbers came from (an option or the scheduler's variables), for messages.</param>
internal sealed record BenchShard(int Index, int Count, string Source)
{
    /// <summary>The variable giving a Kubernetes Indexed Job's shard count, which Kubernetes does not pass to the pod.</summary>
    public const string CountVariable = "OCCAM_SHARD_COUNT";

    /// <summary>The help text of <c>--shard</c>, naming the scheduler variables read without it.</summary>
    public const string Help =
        "Run only the cells k with k mod N = I (0 ≤ I < N), one result file per cell under --out, skipping those already there; " +
        "merge with 'occam bench merge'. Without it, a Slurm array task's SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, " +
        "or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with " + CountVariable + " (the Job's completions), are read when set";

    /// <summary>Creates <c>--shard I/N</c>.</summary>
    public static Option<string?> CreateOption() => new("--shard") { Description = Help, HelpName = "I/N" };

    /// <summary>Creates <c>--list</c>.</summary>
    public static Option<bool> CreateListOption() => new("--list")
    {
        Description = "Print the sweep's cells (number and key, one a line; only this shard's with --shard or the scheduler's variables) and run nothing",
    };

    /// <summary>
    /// The shard from <c>--shard</c> (<paramref name="option"/>), else from the scheduler's variables in
    /// <paramref name="environment"/>; null when neither is there (the whole grid). Bad values are a <see cref="UsageException"/>.
    /// </summary>
    public static BenchShard? Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (option is not null)
        {
            string[] parts = option.Split('/');
            if (parts.Length != 2 || !TryCount(parts[1], out int count) || !TryIndex(parts[0], out int index) || index >= count)
            {
                throw new UsageException($"--shard takes I/N with 0 ≤ I < N, e.g. 0/3 (got '{option}')");
            }

            return new BenchShard(index, count, "--shard");
        }

        if (environment("SLURM_ARRAY_TASK_ID") is { } taskId)
        {
            int id = Variable("SLURM_ARRAY_TASK_ID", taskId, 0);
            int count = Variable("SLURM_ARRAY_TASK_COUNT", environment("SLURM_ARRAY_TASK_COUNT"), 1);
            // An array submitted as --array=1-3 numbers its tasks from 1: the shard is the offset from the first.
            int first = environment("SLURM_ARRAY_TASK_MIN") is { } min ? Variable("SLURM_ARRAY_TASK_MIN", min, 0) : 0;
            if (id - first < 0 || id - first >= count)
            {
                throw new UsageException($"SLURM_ARRAY_TASK_ID={id} is not in {first}..{first + count - 1}: submit the array as --array=0-{count - 1}");
            }

            return new BenchShard(id - first, count, "SLURM_ARRAY_TASK_ID");
        }

        if (environment("JOB_COMPLETION_INDEX") is { } completionIndex)
        {
            int index = Variable("JOB_COMPLETION_INDEX", completionIndex, 0);
            string? countText = environment(CountVariable)
                ?? throw new UsageException($"JOB_COMPLETION_INDEX is set but {CountVariable} is not: set it to the Job's completions");
            int count = Variable(CountVariable, countText, 1);
            if (index >= count)
            {
                throw new UsageException($"JOB_COMPLETION_INDEX={index} is not below {CountVariable}={count}");
            }

            return new BenchShard(index, count, "JOB_COMPLETION_INDEX");
        }

        return null;
    }

    /// <summary>
    /// Runs this shard's cells of <paramref name="sweep"/> into <paramref name="outDirectory"/> (shared by the shards)
    /// with <paramref name="runCells"/>, skipping cells whose result is there, so a retried shard redoes only what it
    /// had not finished; then prints what it did.
    /// </summary>
    public int Run(CliContext context, SweepManifest sweep, string? outDirectory, Action<SweepDirectory, IReadOnlyList<SweepCell>> runCells)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(runCells);
        if (outDirectory is null)
        {
            throw new UsageException($"a shard ({Source}) writes its cells into the sweep's directory: pass --out DIR");
        }

        var sweepDirectory = new SweepDirectory(outDirectory);
        sweepDirectory.Claim(sweep);
        var cells = Sweep.Shard(sweep.Grid(), Index, Count);
        var remaining = cells.Where(c => !sweepDirectory.Has(c)).ToList();
        runCells(sweepDirectory, remaining);
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {Index}/{Count} ({Source}): {remaining.Count} cells run, {cells.Count - remaining.Count} already done, into {outDirectory}"));
        return ExitCodes.Success;
    }

    /// <summary>Prints the cells of <paramref name="grid"/> this process would run, as "k KEY" lines.</summary>
    public static int List(CliContext context, IReadOnlyList<SweepCell> grid, BenchShard? shard)
    {
        for (int k = 0; k < grid.Count; k++)
        {
            if (shard is null || k % shard.Count == shard.Index)
            {
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k} {grid[k].Key}"));
            }
        }

        return ExitCodes.Success;
    }

    private static int Variable(string name, string? text, int minimum) =>
        text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value
            : throw new UsageException($"{name} must be a whole number ≥ {minimum} (got '{text}')");

    private static bool TryIndex(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryCount(string text, out int value) =>
        TryIndex(text, out value) && value >= 1;
}
