namespace Occam.Training.Checkpoints;

/// <summary>The JSON part of a checkpoint (metadata key "state"): everything that is not a tensor.</summary>
internal sealed record CheckpointDocument
{
    public int Epoch { get; init; }

    public bool Finished { get; init; }

    public bool StoppedEarly { get; init; }

    public ulong ShuffleState { get; init; }

    public int[]? Order { get; init; }

    public ulong[]? DropoutStates { get; init; }

    public CheckpointParameter[]? Parameters { get; init; }

    public long OptimizerSteps { get; init; }

    public float BaseLearningRate { get; init; }

    public CheckpointPruner? Pruner { get; init; }

    public EpochRecord[]? Records { get; init; }

    public int BestRecord { get; init; } = -1;

    public DivergenceEvent[]? Divergences { get; init; }

    public CheckpointStep? Step { get; init; }
}

/// <summary>
/// A run stopped inside epoch <see cref="CheckpointDocument.Epoch"/> + 1: the scalars of its state after
/// <see cref="Batches"/> steps; the weights and optimiser state are tensors "step/model/NAME" and "step/optimizer/NAME/J".
/// </summary>
internal sealed record CheckpointStep
{
    public int Batches { get; init; }

    public double LossSum { get; init; }

    public double Seconds { get; init; }

    public long OptimizerSteps { get; init; }

    public ulong[]? DropoutStates { get; init; }
}

/// <summary>
/// A parameter's entry: its name, whether it has a mask, how many optimiser state tensors it has, and the kernel
/// crossovers of the layer it weighs.
/// </summary>
internal sealed record CheckpointParameter
{
    public string? Name { get; init; }

    public bool Masked { get; init; }

    public int OptimizerTensors { get; init; }

    /// <summary>The kernel crossovers its layer decided by (null in checkpoints written before they were recorded).</summary>
    public CheckpointCrossover[]? KernelCrossovers { get; init; }
}

/// <summary>One kernel crossover a layer decided by: the batch size, training or inference, and the density.</summary>
internal sealed record CheckpointCrossover(int Rows, bool Training, double Crossover);

/// <summary>The pruner's scalars; its snapshots are tensors "best/NAME" and "rewind/NAME".</summary>
internal sealed record CheckpointPruner
{
    public int Epoch { get; init; }

    public double[]? Losses { get; init; }

    public double[]? StandardErrors { get; init; }

    /// <summary>Per epoch, the paired difference against the selected model: mean, standard error (null in older checkpoints).</summary>
    public double[][]? PairedWithSelected { get; init; }

    /// <summary>Per epoch, the paired difference against the lowest-loss selected model (null in older checkpoints).</summary>
    public double[][]? PairedWithLowest { get; init; }

    /// <summary>The lowest held-out loss of a selected model (null in older checkpoints); its per-example losses are the tensor "paired/lowest".</summary>
    public double? LowestLoss { get; init; }

    public double BestHoldoutLoss { get; init; }

    public int? BestEpoch { get; init; }

    public int? RewindEpoch { get; init; }
}
