namespace Occam.Cli.Engine;

/// <summary>The validated numeric options of <c>train</c> and <c>compare</c>.</summary>
/// <param name="Epochs">Epoch budget E, at least 1.</param>
/// <param name="Seed">Seed for the split, initialisation, shuffling and dropout.</param>
/// <param name="BatchSize">Mini-batch size, at least 1.</param>
/// <param name="LearningRate">Adam's learning rate, positive.</param>
/// <param name="InitialPruneRate">Occam's r0, in (0, 1).</param>
/// <param name="FloorFactor">Occam's floor factor f, in (0, 1].</param>
/// <param name="HoldoutFraction">Fraction of the training data held out for selection, in (0, 1).</param>
/// <param name="Dropout">Dropout probability after hidden layers, in [0, 1).</param>
/// <param name="Threads">Worker threads for the kernels, at least 1.</param>
/// <param name="LabelColumn">CSV label column; null means <c>class</c> (regression: <c>target</c>), else the last column.</param>
/// <param name="Task">CSV data: classification or regression; null until the command infers it from the label column.</param>
/// <param name="Typing">CSV data: NA tokens and forced column kinds; null for none (kept in the plan so a resume reads the file the same way).</param>
/// <param name="Criterion">How weights are scored for pruning.</param>
/// <param name="Distribution">How a cut is spread over the layers.</param>
/// <param name="TestPath">CSV data: a separate test file (every row of the data file is then trained on), or null.</param>
/// <param name="PruneEvery">Optimiser steps between decision points; null decides once per epoch.</param>
/// <param name="HoldoutSubsample">With <paramref name="PruneEvery"/>: held-out examples each decision point is judged on; null for all.</param>
/// <param name="TestFraction">CSV data: the test split's share of the data file; null for <see cref="Occam.Data.TabularOptions.DefaultTestFraction"/>.</param>
internal sealed record TrainingSettings(
    int Epochs,
    int Seed,
    int BatchSize,
    double LearningRate,
    double InitialPruneRate,
    double FloorFactor,
    double HoldoutFraction,
    double Dropout,
    int Threads,
    string? LabelColumn,
    Occam.Data.LearningTask? Task = null,
    Occam.Data.ColumnTyping? Typing = null,
    Occam.Pruning.PruningCriterionKind Criterion = Occam.Pruning.PruningCriterionKind.Magnitude,
    Occam.Pruning.PruningDistribution Distribution = Occam.Pruning.PruningDistribution.Layer,
    string? TestPath = null,
    double? TestFraction = null,
    int? PruneEvery = null,
    int? HoldoutSubsample = null);
