using Occam.Cli.Engine;
using Occam.Cli.Specs;
using Occam.Data;

namespace Occam.Cli.Commands;

/// <summary>Fixes a CSV plan's task before it runs: the one given with --task, else the one the label column implies.</summary>
internal static class TaskChoice
{
    /// <summary>The value of a <c>--task</c> option: null when absent; anything but classification or regression is a usage error.</summary>
    public static LearningTask? Parse(string? value) => value switch
    {
        null => null,
        "classification" => LearningTask.Classification,
        "regression" => LearningTask.Regression,
        _ => throw new UsageException($"--task '{value}': expected classification or regression"),
    };

    /// <summary>
    /// Returns <paramref name="plan"/> with its task set. An inferred regression is said on stderr in one line, since
    /// it changes what the run optimises and reports; classification, the long-standing default, is not. Then what
    /// typed ingestion decided about the columns is said in one line (<c>occam: csv: …</c>), and an ambiguous column
    /// fails here, before any run folder exists.
    /// </summary>
    public static TrainingPlan Resolve(CliContext context, TrainingPlan plan)
    {
        if (plan.Data.Kind != DataKind.Csv)
        {
            return plan;
        }

        plan = ResolveTask(context, plan);
        context.Error.WriteLine($"occam: csv: {context.Engine.DescribeCsv(plan).Summary()}");
        return plan;
    }

    private static TrainingPlan ResolveTask(CliContext context, TrainingPlan plan)
    {
        if (plan.Settings.Task is not null)
        {
            return plan;
        }

        var inference = context.Engine.InferTask(plan.Data.Path!, plan.Settings.LabelColumn);
        if (inference.Task == LearningTask.Regression)
        {
            context.Error.WriteLine($"occam: {inference.Describe()} (use --task classification to classify)");
        }

        return plan with { Settings = plan.Settings with { Task = inference.Task } };
    }
}
