using System.CommandLine;
using Occam.Cli.Engine;
using Occam.Cli.Specs;
using Occam.Pruning;

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
        Description = $"Training method: {PruningMethods.NameList()}",
        HelpName = "NAME",
        DefaultValueFactory = _ => "occam",
    };

    /// <summary>--criterion NAME.</summary>
    public Option<string> Criterion { get; } = new("--criterion")
    {
        Description = "Which weights a cut removes: magnitude (smallest first), random, or structured (whole neurons and channels)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "magnitude",
    };

    /// <summary>--distribution layer|global.</summary>
    public Option<string> Distribution { get; } = new("--distribution")
    {
        Description = "How a cut is spread: layer (the same fraction of every layer) or global (one magnitude threshold for the model)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "layer",
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

    /// <summary>--prune-every N.</summary>
    public Option<int> PruneEvery { get; } = NumberOptions.Integer(
        "--prune-every", "Decide (judge on the held-out set, select, prune) every N optimiser steps instead of once per epoch; a schedule's epoch counts (warm-up, rounds, budget) then count these decision points", "N", null);

    /// <summary>--holdout-subsample N.</summary>
    public Option<int> HoldoutSubsample { get; } = NumberOptions.Integer(
        "--holdout-subsample", "With --prune-every: judge each decision point on N held-out examples (a fixed subsample drawn with --seed) [default: all]", "N", null);

    /// <summary>--holdout FRACTION.</summary>
    public Option<double> Holdout { get; } = NumberOptions.Real("--holdout", "Fraction of the training data held out for model selection, in (0, 1)", "FRACTION", 0.1);

    /// <summary>--dropout P.</summary>
    public Option<double> Dropout { get; } = NumberOptions.Real("--dropout", "Dropout after hidden layers, in [0, 1)", "P", 0.2);

    /// <summary>--threads N.</summary>
    public Option<int> Threads { get; } = NumberOptions.Threads();

    /// <summary>--label COLUMN.</summary>
    public Option<string?> Label { get; } = new("--label") { Description = "CSV label column [default: 'class' (regression: 'target'), else the last column]", HelpName = "COLUMN" };

    /// <summary>--task NAME.</summary>
    public Option<string?> Task { get; } = new("--task")
    {
        Description = "CSV data: classification or regression [default: inferred; regression when the label column is numeric with more than 20 distinct values]",
        HelpName = "NAME",
    };

    /// <summary>--na-values V[,V…].</summary>
    public Option<string?> NaValues { get; } = new("--na-values")
    {
        Description = "CSV data: cells read as missing besides empty ones, comma-separated (e.g. n/a,NA,?); remembered with the model",
        HelpName = "V[,V…]",
    };

    /// <summary>--categorical COL[,COL…].</summary>
    public Option<string?> Categorical { get; } = new("--categorical")
    {
        Description = "CSV data: columns to one-hot as categories whatever their cells look like",
        HelpName = "COL[,COL…]",
    };

    /// <summary>--numeric COL[,COL…].</summary>
    public Option<string?> Numeric { get; } = new("--numeric")
    {
        Description = "CSV data: columns that must hold numbers (a cell neither a number, empty nor an NA token is an error)",
        HelpName = "COL[,COL…]",
    };

    /// <summary>--test SPEC.</summary>
    public Option<string?> Test { get; } = new("--test")
    {
        Description = "CSV data: score on this file (csv:FILE, read with the training file's schema) and train on every row of --data",
        HelpName = "SPEC",
    };

    /// <summary>--test-fraction F.</summary>
    public Option<double> TestFraction { get; } = NumberOptions.Real(
        "--test-fraction", "CSV data: share of the rows of --data put in the test split (stratified for classification), in (0, 1)", "F", Occam.Data.TabularOptions.DefaultTestFraction);

    /// <summary>--out DIR.</summary>
    public Option<string?> Out { get; } = new("--out") { Description = "Directory for the run records, the selected model and the report (must not exist, or be empty)", HelpName = "DIR" };

    /// <summary>--json.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the summary JSON on stdout, and nothing else there" };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options = [Data, Model, Method, Criterion, Distribution, Epochs, Seed, BatchSize, LearningRate, InitialPruneRate, FloorFactor, PruneEvery, HoldoutSubsample, Holdout, Dropout, Threads, Label, Task, NaValues, Categorical, Numeric, Test, TestFraction, Out, Json];
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
        var settings = new TrainingSettings(
            Epochs: result.GetValue(Epochs),
            Seed: result.GetValue(Seed),
            BatchSize: result.GetValue(BatchSize),
            LearningRate: result.GetValue(LearningRate),
            InitialPruneRate: result.GetValue(InitialPruneRate),
            FloorFactor: result.GetValue(FloorFactor),
            HoldoutFraction: result.GetValue(Holdout),
            Dropout: result.GetValue(Dropout),
            Threads: result.GetValue(Threads),
            LabelColumn: result.GetValue(Label),
            Task: TaskChoice.Parse(result.GetValue(Task)),
            Typing: ParseTyping(result.GetValue(NaValues), result.GetValue(Categorical), result.GetValue(Numeric)),
            Criterion: ParseName<PruningCriterionKind>("--criterion", result.GetRequiredValue(Criterion)),
            Distribution: ParseName<PruningDistribution>("--distribution", result.GetRequiredValue(Distribution)),
            TestPath: ParseTest(result.GetValue(Test)),
            TestFraction: result.GetResult(TestFraction) is { Implicit: false } ? result.GetValue(TestFraction) : null,
            PruneEvery: result.GetResult(PruneEvery) is null ? null : result.GetValue(PruneEvery),
            HoldoutSubsample: result.GetResult(HoldoutSubsample) is null ? null : result.GetValue(HoldoutSubsample));
        return Check(new TrainingPlan(data, model, method, settings));
    }

    /// <summary>The typing options as a <see cref="Occam.Data.ColumnTyping"/>, or null when none is given.</summary>
    public static Occam.Data.ColumnTyping? ParseTyping(string? naValues, string? categorical, string? numeric)
    {
        if (naValues is null && categorical is null && numeric is null)
        {
            return null;
        }

        return new Occam.Data.ColumnTyping
        {
            NaValues = List("--na-values", naValues),
            Categorical = List("--categorical", categorical),
            Numeric = List("--numeric", numeric),
        };
    }

    /// <summary>The value of <typeparamref name="T"/> named <paramref name="value"/> (case-insensitive), for <paramref name="option"/>.</summary>
    private static T ParseName<T>(string option, string value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        string[] names = [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];
        throw new UsageException($"{option} '{value}': expected {string.Join(", ", names[..^1])} or {names[^1]}");
    }

    /// <summary>The file a <c>--test csv:FILE</c> value names, or null when the option is not given.</summary>
    private static string? ParseTest(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var spec = DataSpecParser.Parse(value);
        return spec is { Kind: DataKind.Csv, Path: { } path }
            ? path
            : throw new UsageException($"--test '{value}': expected csv:FILE (a test file is read as CSV with the training file's schema)");
    }

    /// <summary>The comma-separated items of an option, each trimmed and non-empty.</summary>
    private static string[] List(string option, string? value)
    {
        if (value is null)
        {
            return [];
        }

        string[] items = value.Split(',', StringSplitOptions.TrimEntries);
        return Array.Exists(items, i => i.Length == 0)
            ? throw new UsageException($"{option} '{value}': expected a comma-separated list with no empty item")
            : items;
    }

    /// <summary>
    /// The rules every plan obeys, whether it comes from the command line or from a checkpoint being resumed (which
    /// may have been edited): each setting in its range, the label and task only for CSV data. Throws
    /// <see cref="UsageException"/> naming the option; returns <paramref name="plan"/>.
    /// </summary>
    public static TrainingPlan Check(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (data, s) = (plan.Data, plan.Settings);
        if (s.LabelColumn is not null && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--label applies only to csv data, not to --data '{data}'");
        }

        if (s.LabelColumn is not null && string.IsNullOrWhiteSpace(s.LabelColumn))
        {
            throw new UsageException("--label must name a column");
        }

        if (s.Typing is not null && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--na-values, --categorical and --numeric apply only to csv data, not to --data '{data}'");
        }

        if (s.Task == Occam.Data.LearningTask.Regression && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--task regression applies only to csv data, not to --data '{data}'");
        }

        if (s.TestPath is not null && data.Kind != DataKind.Csv)
        {
            throw new UsageException($"--test applies only to csv data, not to --data '{data}'");
        }

        if (s.TestFraction is { } fraction)
        {
            if (data.Kind != DataKind.Csv)
            {
                throw new UsageException($"--test-fraction applies only to csv data, not to --data '{data}'");
            }

            if (s.TestPath is not null)
            {
                throw new UsageException("--test-fraction cannot be combined with --test: with a test file, every row of --data is trained on");
            }

            Validate.OpenUnit("--test-fraction", fraction);
        }

        Validate.AtLeast("--epochs", s.Epochs, 1);
        Validate.AtLeast("--batch-size", s.BatchSize, 1);
        Validate.Single("--lr", Validate.Positive("--lr", s.LearningRate));
        Validate.OpenUnit("--r0", s.InitialPruneRate);
        Validate.UnitExcludingZero("--floor", s.FloorFactor);
        Validate.OpenUnit("--holdout", s.HoldoutFraction);
        Validate.UnitExcludingOne("--dropout", s.Dropout);
        Validate.Threads(s.Threads);
        if (s.PruneEvery is int every)
        {
            Validate.AtLeast("--prune-every", every, 1);
        }

        if (s.HoldoutSubsample is int subsample)
        {
            Validate.AtLeast("--holdout-subsample", subsample, 1);
            if (s.PruneEvery is null)
            {
                throw new UsageException("--holdout-subsample applies only with --prune-every");
            }
        }

        if (!PruningMethod.Combines(s.Criterion, s.Distribution))
        {
            throw new UsageException($"--distribution global applies only to --criterion magnitude, not {s.Criterion.ToString().ToLowerInvariant()}");
        }

        return plan;
    }
}
