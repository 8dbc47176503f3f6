using System.Text.Json.Serialization;
using Occam.Data;

namespace Occam.Training;

/// <summary>
/// One epoch of a run (serialised snake_case, one JSON line per epoch). Losses, accuracy and sizes describe the model
/// as evaluated at the end of the epoch, before that epoch's pruning; <see cref="PruneRate"/> and <see cref="Zeta"/>
/// are what the schedule decided then. Regression records carry <see cref="HoldoutRmse"/>, <see cref="HoldoutR2"/>,
/// <see cref="TestMse"/>, <see cref="TestRmse"/>, <see cref="TestMae"/> and <see cref="TestR2"/> (original units) in
/// place of the accuracies, which
/// <see cref="RunJson"/> leaves out of their JSON; the losses are then the regression loss on standardised targets.
/// The same type reads the records back (<see cref="RunSummary.Read"/>); the fields marked required are those every
/// record has carried since the format began.
/// </summary>
public sealed record EpochRecord
{
    /// <summary>The epoch, 1-based (0: the model as given, in an evaluation-only run).</summary>
    [JsonRequired]
    public int Epoch { get; init; }

    /// <summary>
    /// "train" for a trained epoch, "decision" for a decision point of a step cadence (<see cref="TrainerOptions.PruneEvery"/>),
    /// "pruned" for the evaluation right after a one-shot cut, "initial" for epoch 0.
    /// </summary>
    public string Stage { get; init; } = "train";

    /// <summary>Decision rows: optimiser steps since the run began (null for epoch rows).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Step { get; init; }

    /// <summary>Decision rows: the run's progress in epochs (steps / steps per epoch), e.g. 2.5 halfway through epoch 3.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? EpochFraction { get; init; }

    /// <summary>Decision rows: held-out examples the held-out figures are over (a seeded subsample when <see cref="TrainerOptions.HoldoutSubsample"/> is set).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? HoldoutEvaluated { get; init; }

    /// <summary>Mean training loss over the epoch's batches, or a decision row's batches since the previous row (null when no training happened).</summary>
    public double? TrainLoss { get; init; }

    /// <summary>Mean loss on the held-out split (the only figure used for selection).</summary>
    [JsonRequired]
    public double HoldoutLoss { get; init; }

    /// <summary>Standard error of the held-out loss over held-out examples.</summary>
    public double HoldoutLossStderr { get; init; }

    /// <summary>Accuracy on the held-out split (classification only).</summary>
    public double HoldoutAccuracy { get; init; }

    /// <summary>Regression: held-out root mean squared error in original units (what the held-out loss means to a user).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? HoldoutRmse { get; init; }

    /// <summary>Regression: held-out coefficient of determination R².</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? HoldoutR2 { get; init; }

    /// <summary>Mean test loss (reported, never used to decide); null without a test set.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Test accuracy (reported, never used to decide); null without a test set. Classification only.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Regression: test mean squared error in original units; null otherwise or without a test set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TestMse { get; init; }

    /// <summary>Regression: test root mean squared error in original units.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TestRmse { get; init; }

    /// <summary>Regression: test mean absolute error in original units.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TestMae { get; init; }

    /// <summary>Regression: test coefficient of determination R².</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TestR2 { get; init; }

    /// <summary>Nonzero parameters, over all parameters (prunable or not): the model's size as users see it.</summary>
    [JsonRequired]
    public long NonzeroParams { get; init; }

    /// <summary>All parameters.</summary>
    [JsonRequired]
    public long TotalParams { get; init; }

    /// <summary><see cref="NonzeroParams"/> / <see cref="TotalParams"/>.</summary>
    [JsonRequired]
    public double Density { get; init; }

    /// <summary>Alive prunable weights.</summary>
    public long PrunableNonzeroParams { get; init; }

    /// <summary>Prunable weights.</summary>
    public long PrunableParams { get; init; }

    /// <summary>Alive fraction of the prunable weights (what the pruning rules act on).</summary>
    public double PrunableDensity { get; init; }

    /// <summary>The schedule's rate after this epoch (Occam's r); 0 when it did not prune.</summary>
    public double PruneRate { get; init; }

    /// <summary>Occam's zeta for this epoch; null when the rule did not compute one.</summary>
    public double? Zeta { get; init; }

    /// <summary>Learning rate at the end of the epoch.</summary>
    public double LearningRate { get; init; }

    /// <summary>Wall time of the epoch's training (a decision row: since the previous row), evaluation excluded, seconds.</summary>
    [JsonRequired]
    public double TrainSeconds { get; init; }

    /// <summary>Training FLOPs of the epoch as if every weight were alive (see <see cref="FlopCount"/>).</summary>
    [JsonRequired]
    public long TrainFlopsDense { get; init; }

    /// <summary>Training FLOPs of the epoch counting only live weights (see <see cref="FlopCount"/>).</summary>
    [JsonRequired]
    public long TrainFlopsSparse { get; init; }

    /// <summary>True when this record's model is the run's selected one.</summary>
    public bool Selected { get; init; }

    /// <summary>Classification (the default, not written) or regression.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public LearningTask Task { get; init; }
}
