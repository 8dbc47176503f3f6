using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Specs;

namespace Occam.Cli.Commands;

/// <summary>The options <c>train</c> and <c>compare</c> share, and their translation into a validated <see cref="TrainingPlan"/>.</summary>
internal sealed class TrainingOptions
{
    /// <summary>--data SPEC.</summary>
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Data set: fashion-mnist[:DIR], mnist:DIR, cifar10:DIR, csv:PATH, text:PATH or digits",
        HelpName = "SPEC",
    };

    /// <summary>--model SPEC.</summary>
    public Option<string?> Model { get; } = new("--model")
    {
        Description = "Model: mlp:H1[,H2...], cnn:N or gpt:LAYERS,HEADS,EMBED,CONTEXT [default: mlp:1024 for images, mlp:256,256 for csv, gpt:2,4,64,64 for text]",
        HelpName = "SPEC",
    };

    /// <summary>--method NAME.</summary>
    public Option<string> Method { get; } = new("--method")
    {
        Description = "Training method: occam, occam-paper, dense, posthoc, gmp or imp",
        HelpName = "NAME",
        DefaultValueFactory = _ => "occam",
    };

    /// <summary>--epochs N.</summary>
    public Option<int> Epochs { get; } = NumberOptions.Integer("--epochs", "Epoch budget", "N", () => 12);

    /// <summary>--seed S.</summary>
    public Option<int> Seed { get; } = NumberOptions.Integer("--seed", "Random seed (split, initialisation, shuffling, dropout)", "S", () => 1);

    /// <summary>--batch-size N.</summary>
    public Option<int> BatchSize { get; } = NumberOptions.Integer("--batch-size", "Mini-batch size", "N", () => 32);

    /// <summary>--lr RATE.</summary>
    public Option<double> LearningRate { get; } = NumberOptions.Real("--lr", "Adam learning rate", "RATE", 1e-3);

    /// <summary>--r0 RATE.</summary>
    public Option<double> InitialPruneRate { get; } = NumberOptions.Real("--r0", "Occam's initial (and largest) pruning rate, in (0, 1)", "RATE", 0.4);

    /// <summary>--floor F.</summary>
    public Option<double> FloorFactor { get; } = NumberOptions.Real("--floor", "Occam's floor factor: the rate never falls below F × r0, in (0, 1]", "F", 0.1);

    /// <summary>--holdout FRACTION.</summary>
    public Option<double> Holdout { get; } = NumberOptions.Real("--holdout", "Fraction of the training data held out for model selection, in (0, 1)", "FRACTION", 0.1);

    /// <summary>--dropout P.</summary>
    public Option<double> Dropout { get; } = NumberOptions.Real("--dropout", "Dropout after hidden layers, in [0, 1)", "P", 0.2);

    /// <summary>--threads N.</summary>
    public Option<int> Threads { get; } = NumberOptions.Integer("--threads", "Worker threads (default: the number of cores)", "N", () => Environment.ProcessorCount);

    /// <summary>--label COLUMN.</summary>
    public Option<string?> Label { get; } = new("--label") { Description = "CSV label column [default: 'class' (regression: 'target'), else the last column]", HelpName = "COLUMN" };

    /// <summary>--task NAME.</summary>
    public Option<string?> Task { get; } = new("--task")
    {
        Description = "CSV data: classification or regression [default: inferred; regression when the label column is numeric with more than 20 distinct values]",
        HelpName = "NAME",
    };

    /// <summary>--out DIR.</summary>
    public Option<string?> Out { get; } = new("--out") { Description = "Directory for the run records, the selected model and the report (must not exist, or be empty)", HelpName = "DIR" };

    /// <summary>--json.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the summary JSON on stdout, and nothing else there" };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options = [Data, Model, Method, Epochs, Seed, BatchSize, LearningRate, InitialPruneRate, FloorFactor, Holdout, Dropout, Threads, Label, Task, Out, Json];
        foreach (var option in options)
        {
            command.Add(option);
        }
    }

    /// <summary>Reads and validates the options; throws <see cref="UsageException"/> naming the first problem.</summary>
    public TrainingPlan ToPlan(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var data = DataSpecParser.Parse(result.GetValue(Data) ?? throw new UsageException("option '--data' is required (or --resume DIR to continue an interrupted run)"));
        var model = ModelSpecParser.Resolve(result.GetValue(Model), data);
        var method = TrainingMethodParser.Parse(result.GetRequiredValue(Method));
        string? label = result.GetValue(Label);
        if (label is not null && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--label applies only to csv data, not to --data '{data}'");
        }

        if (label is not null && string.IsNullOrWhiteSpace(label))
        {
            throw new UsageException("--label must name a column");
        }

        Occam.Data.LearningTask? task = TaskChoice.Parse(result.GetValue(Task));
        if (task == Occam.Data.LearningTask.Regression && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--task regression applies only to csv data, not to --data '{data}'");
        }

        var settings = new TrainingSettings(
            Epochs: Validate.AtLeast("--epochs", result.GetValue(Epochs), 1),
            Seed: result.GetValue(Seed),
            BatchSize: Validate.AtLeast("--batch-size", result.GetValue(BatchSize), 1),
            LearningRate: Validate.Positive("--lr", result.GetValue(LearningRate)),
            InitialPruneRate: Validate.OpenUnit("--r0", result.GetValue(InitialPruneRate)),
            FloorFactor: Validate.UnitExcludingZero("--floor", result.GetValue(FloorFactor)),
            HoldoutFraction: Validate.OpenUnit("--holdout", result.GetValue(Holdout)),
            Dropout: Validate.UnitExcludingOne("--dropout", result.GetValue(Dropout)),
            Threads: Validate.AtLeast("--threads", result.GetValue(Threads), 1),
            LabelColumn: label,
            Task: task);
        return new TrainingPlan(data, model, method, settings);
    }
}
