using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Training;

/// <summary>Settings of a <see cref="Trainer"/> run. Defaults follow SPEC §2: Adam at 1e-3, batch 32, 12 epochs, 10 % held out.</summary>
public sealed record TrainerOptions
{
    /// <summary>Epoch budget (0: only evaluate the model as given). Default 12.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Mini-batch size. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of the held-out split and of the batch order. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Fraction of the training set held out for selection and for the schedule (stratified; text holds out this share
    /// of its training text, <see cref="Data.TextCorpus.TrainingWindows"/>). Default 0.1.
    /// </summary>
    public double HoldoutFraction { get; init; } = 0.1;

    /// <summary>Stop after this many epochs (decision points under <see cref="PruneEvery"/>) without a new best held-out loss; null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// Decide (evaluate the held-out set, select, prune) every this many optimiser steps instead of at the end of each
    /// epoch; null (the default) decides once per epoch. Each decision point writes one "decision" record; a schedule's
    /// epoch-based options (warm-up, round lengths, the budget) then count decision points (<see cref="Pruner"/>).
    /// Steps after the run's last decision point are trained but not judged. Checkpoints are written only at epoch ends
    /// that are also decision points (every epoch when N divides the steps per epoch), and at the run's end; a resume
    /// or the divergence guard goes back to the last of them.
    /// </summary>
    public int? PruneEvery { get; init; }

    /// <summary>
    /// With <see cref="PruneEvery"/>: judge each decision point on this many held-out examples, a fixed subsample drawn
    /// with <see cref="Seed"/>, when the held-out set is larger (evaluating all of it that often is slow); null uses all.
    /// </summary>
    public int? HoldoutSubsample { get; init; }

    /// <summary>Learning rate handed to <see cref="OptimizerFactory"/>. Default 1e-3.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Creates the optimiser from the parameters and the learning rate; null means Adam.</summary>
    public Func<IReadOnlyList<Parameter>, float, Optimizer>? OptimizerFactory { get; init; }

    /// <summary>Which weights to prune. Default per-layer magnitude (the paper's).</summary>
    public IPruningCriterion Criterion { get; init; } = new MagnitudeCriterion();

    /// <summary>When and how much to prune. Default the <c>occam</c> controller; <see cref="OccamPaperSchedule"/> is the paper's rule.</summary>
    public IPruningSchedule Schedule { get; init; } = new OccamController();

    /// <summary>The method name for the records; null uses <see cref="IPruningSchedule.Name"/>.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// Regression only: train and select with the Huber loss with this delta (in standardised target units); null
    /// (the default) uses mean squared error. The task itself is the training data's (<see cref="Data.Dataset.Task"/>).
    /// </summary>
    public double? HuberDelta { get; init; }

    /// <summary>Batch size of evaluation passes. Default 256.</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>Receives progress after every batch and epoch; null for none.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Writes epochs.jsonl and summary.json as the run goes; null for none.</summary>
    public RunRecorder? Recorder { get; init; }

    /// <summary>
    /// Where to write a checkpoint (<see cref="Checkpoints.Checkpoint.FileName"/>) after every epoch, atomically;
    /// null for none.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Continue from the checkpoint in <see cref="CheckpointDirectory"/> instead of starting afresh. The model must be
    /// built with the same architecture and the data and settings must be the run's; the result is bit-identical to
    /// an uninterrupted run with the same seed and thread count.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Strings stored with every checkpoint (e.g. the model and data specs needed to rebuild the run).</summary>
    public IReadOnlyDictionary<string, string>? CheckpointMetadata { get; init; }

    /// <summary>
    /// How many NaN or infinite epoch losses the divergence guard recovers from (restoring the last good epoch and
    /// halving the learning rate) before it gives up with <see cref="TrainingDivergedException"/>. Default 3: the
    /// third divergence stops the run.
    /// </summary>
    public int DivergenceLimit { get; init; } = 3;

    /// <summary>Creates the optimiser this run uses.</summary>
    public Optimizer CreateOptimizer(IReadOnlyList<Parameter> parameters) =>
        OptimizerFactory is null ? new Adam(parameters, LearningRate) : OptimizerFactory(parameters, LearningRate);
}
