using Occam.Tensors;

namespace Occam.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Per-parameter state (momenta, moments) is reachable through
/// <see cref="State"/> so that pruning can zero the state of pruned weights.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates an optimiser over <paramref name="parameters"/> with a base learning rate.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate, LearningRateSchedule? schedule)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        Parameters = [.. parameters];
        BaseLearningRate = learningRate;
        Schedule = schedule ?? new ConstantSchedule();
    }

    /// <summary>The parameters updated, in order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate before the schedule's factor; the divergence guard may lower it.</summary>
    public float BaseLearningRate { get; set; }

    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>Optimiser steps taken so far.</summary>
    public long StepCount { get; protected set; }

    /// <summary>The learning rate the next step will use.</summary>
    public float CurrentLearningRate => BaseLearningRate * Schedule.Factor(StepCount);

    /// <summary>Sets the step count when a checkpoint restores the optimiser (its state tensors are restored through <see cref="State"/>).</summary>
    internal void RestoreStepCount(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        StepCount = steps;
    }

    /// <summary>
    /// Forgets what the optimiser has learnt (state at zero, step count 0), as a new optimiser over the same parameters
    /// would start, keeping the base learning rate: a rewind restarts training with it.
    /// </summary>
    public void Reset()
    {
        foreach (var p in Parameters)
        {
            foreach (var state in State(p))
            {
                state.Span.Clear();
            }
        }

        StepCount = 0;
        OnStateRestored();
    }

    /// <summary>Applies one update from the current gradients.</summary>
    public abstract void Step();

    /// <summary>
    /// True when <see cref="Step"/> itself leaves the pruned entries (mask 0) of every masked parameter, and their
    /// optimiser state, at zero — so <see cref="Pruning.PruningMasks.ApplyAfterStep"/> has nothing left to do.
    /// </summary>
    public virtual bool MasksPrunedEntries => false;

    /// <summary>
    /// The state tensors kept for <paramref name="parameter"/> (same shape as it), possibly none, holding the current
    /// state: an optimiser that keeps a copy elsewhere (e.g. compact, for sparse kernels) brings them up to date first.
    /// </summary>
    public abstract IReadOnlyList<Tensor> State(Parameter parameter);

    /// <summary>
    /// Called after the tensors returned by <see cref="State"/> were overwritten from outside (a checkpoint or the
    /// divergence guard restoring an earlier epoch): an optimiser holding a copy of its state elsewhere must drop it and
    /// take the restored values.
    /// </summary>
    protected internal virtual void OnStateRestored()
    {
    }
}
