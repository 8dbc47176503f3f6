using Occam.Layers;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;

namespace Occam.Training.Checkpoints;

/// <summary>
/// The complete state of a run at the end of an epoch: weights and masks, optimiser moments, step count and learning
/// rate, the pruner's history and snapshots, the random generators, the batch order and the records. Restoring it
/// and training on gives bit-identical results to never having stopped. Kept in memory for the divergence guard and
/// written to disk by <see cref="CheckpointFile"/>.
/// </summary>
internal sealed class TrainingCheckpoint
{
    /// <summary>The last epoch completed (0: before training).</summary>
    public int Epoch { get; set; }

    /// <summary>True when the run ended at this epoch (the schedule or patience stopped it, or the budget is spent).</summary>
    public bool Finished { get; set; }

    /// <summary>True when the run stopped before its epoch budget.</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>The batch-order generator's state.</summary>
    public ulong ShuffleState { get; set; }

    /// <summary>The training indices in their current order (each epoch shuffles the previous order).</summary>
    public int[] Order { get; set; } = [];

    /// <summary>The states of the model's dropout generators, in model order.</summary>
    public ulong[] DropoutStates { get; set; } = [];

    /// <summary>Weights per parameter, in model order.</summary>
    public float[][] Weights { get; set; } = [];

    /// <summary>Masks per parameter, null for a dense one.</summary>
    public float[]?[] Masks { get; set; } = [];

    /// <summary>Optimiser state tensors per parameter.</summary>
    public float[][][] OptimizerState { get; set; } = [];

    /// <summary>
    /// The kernel crossovers each parameter's layer decided by (<see cref="Tensors.Parameter.KernelCrossovers"/>), null where
    /// none were (or an older checkpoint did not record them). Restoring them makes a resumed run choose the same
    /// kernels, whose floating-point sums round differently, whatever this process's calibration says.
    /// </summary>
    public CheckpointCrossover[]?[] KernelCrossovers { get; set; } = [];

    /// <summary>Optimiser steps taken.</summary>
    public long OptimizerSteps { get; set; }

    /// <summary>The optimiser's base learning rate (the divergence guard halves it).</summary>
    public float BaseLearningRate { get; set; }

    /// <summary>The pruner's history and snapshots.</summary>
    public PrunerState Pruner { get; } = new();

    /// <summary>The records so far.</summary>
    public List<EpochRecord> Records { get; } = [];

    /// <summary>Divergences recovered from so far.</summary>
    public List<DivergenceEvent> Divergences { get; } = [];

    /// <summary>
    /// When the run was stopped inside the next epoch (Ctrl-C): where, and the model and optimiser state there; null at an
    /// epoch boundary. Everything else (masks, pruner, records, batch order) is this checkpoint's.
    /// </summary>
    public StepCheckpoint? Step { get; set; }

    /// <summary>Copies the state of the model, optimiser and pruner (the caller sets the run-level fields).</summary>
    public void CaptureModel(Layer model, Optimizer optimizer, Pruner pruner)
    {
        var parameters = model.Parameters;
        if (Weights.Length != parameters.Count)
        {
            Weights = new float[parameters.Count][];
            Masks = new float[parameters.Count][];
            OptimizerState = new float[parameters.Count][][];
        }

        if (KernelCrossovers.Length != parameters.Count)
        {
            KernelCrossovers = new CheckpointCrossover[parameters.Count][];
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            Weights[i] = CopyInto(Weights[i], p.Value.Span);
            Masks[i] = p.Mask is null ? null : CopyInto(Masks[i], p.Mask.Span);
            var state = optimizer.State(p);
            if (OptimizerState[i] is null || OptimizerState[i].Length != state.Count)
            {
                OptimizerState[i] = new float[state.Count][];
            }

            for (int j = 0; j < state.Count; j++)
            {
                OptimizerState[i][j] = CopyInto(OptimizerState[i][j], state[j].Span);
            }

            KernelCrossovers[i] = p.KernelCrossovers is { Count: > 0 } recorded
                ? [.. recorded.Select(c => new CheckpointCrossover(c.Key.Rows, c.Key.Training, c.Value))]
                : null;
        }

        OptimizerSteps = optimizer.StepCount;
        BaseLearningRate = optimizer.BaseLearningRate;
        var dropouts = FindDropouts(model);
        DropoutStates = new ulong[dropouts.Count];
        for (int i = 0; i < dropouts.Count; i++)
        {
            DropoutStates[i] = dropouts[i].RandomState;
        }

        pruner.SaveState(Pruner);
    }

    /// <summary>
    /// Writes the captured state back into <paramref name="model"/>, <paramref name="optimizer"/> and
    /// <paramref name="pruner"/>. Throws <see cref="InvalidDataException"/> when the model's architecture differs.
    /// </summary>
    public void RestoreModel(Layer model, Optimizer optimizer, Pruner pruner, string source) => RestoreModel(model, optimizer, pruner, source, includePruner: true);

    /// <summary>As <see cref="RestoreModel(Layer, Optimizer, Pruner, string)"/>; without <paramref name="includePruner"/> the pruner is left as it is.</summary>
    public void RestoreModel(Layer model, Optimizer optimizer, Pruner pruner, string source, bool includePruner)
    {
        var parameters = model.Parameters;
        if (parameters.Count != Weights.Length)
        {
            throw new InvalidDataException($"{source}: holds {Weights.Length} parameters, the model has {parameters.Count}.");
        }

        var dropouts = FindDropouts(model);
        if (dropouts.Count != DropoutStates.Length)
        {
            throw new InvalidDataException($"{source}: holds {DropoutStates.Length} dropout generators, the model has {dropouts.Count}.");
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var state = optimizer.State(p);
            // A prunable weight always carries a mask (the pruner counts on it), and only a prunable one does.
            if (Weights[i].Length != p.Length || (Masks[i] is float[] m && m.Length != p.Length) || (Masks[i] is not null) != p.IsPrunable
                || OptimizerState[i].Length != state.Count)
            {
                throw new InvalidDataException($"{source}: parameter '{p.Name}' does not match the model.");
            }

            Weights[i].CopyTo(p.Value.Span);
            if (Masks[i] is float[] mask)
            {
                p.Mask ??= new Tensors.Tensor(p.Length);
                mask.CopyTo(p.Mask.Span);
            }
            else
            {
                p.Mask = null;
            }

            for (int j = 0; j < state.Count; j++)
            {
                if (OptimizerState[i][j].Length != state[j].Length)
                {
                    throw new InvalidDataException($"{source}: optimiser state of '{p.Name}' does not match the model.");
                }

                OptimizerState[i][j].CopyTo(state[j].Span);
            }

            if (i < KernelCrossovers.Length && KernelCrossovers[i] is { } crossovers)
            {
                var recorded = p.KernelCrossovers ??= [];
                foreach (var c in crossovers)
                {
                    recorded[(c.Rows, c.Training)] = c.Crossover;
                }
            }
        }

        optimizer.OnStateRestored();
        optimizer.RestoreStepCount(OptimizerSteps);
        optimizer.BaseLearningRate = BaseLearningRate;
        for (int i = 0; i < dropouts.Count; i++)
        {
            dropouts[i].RandomState = DropoutStates[i];
        }

        if (includePruner)
        {
            pruner.LoadState(Pruner);
        }
    }

    /// <summary>The dropout layers of <paramref name="model"/> in order, looking inside <see cref="Sequential"/> stacks.</summary>
    public static List<Dropout> FindDropouts(Layer model)
    {
        var found = new List<Dropout>();
        Collect(model, found);
        return found;

        static void Collect(Layer layer, List<Dropout> found)
        {
            if (layer is Dropout dropout)
            {
                found.Add(dropout);
            }
            else if (layer is Sequential sequential)
            {
                foreach (var child in sequential.Layers)
                {
                    Collect(child, found);
                }
            }
        }
    }

    private static float[] CopyInto(float[]? target, ReadOnlySpan<float> source)
    {
        if (target is null || target.Length != source.Length)
        {
            target = new float[source.Length];
        }

        source.CopyTo(target);
        return target;
    }
}

/// <summary>A run stopped between two steps of an epoch: how far it got and the state there (<see cref="TrainingCheckpoint.Step"/>).</summary>
internal sealed class StepCheckpoint
{
    /// <summary>Steps done in the interrupted epoch.</summary>
    public int Batches { get; set; }

    /// <summary>The sum of those steps' losses, each weighted by its batch's size.</summary>
    public double LossSum { get; set; }

    /// <summary>Training seconds spent in the epoch so far.</summary>
    public double Seconds { get; set; }

    /// <summary>Weights, optimiser state, step count and dropout generators after those steps (masks and pruner: the epoch's).</summary>
    public TrainingCheckpoint State { get; } = new();
}
