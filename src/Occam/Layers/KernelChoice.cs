using Occam.Tensors;

namespace Occam.Layers;

/// <summary>
/// One layer's choice between dense and sparse kernels. <see cref="KernelPath.Automatic"/> runs sparse only where
/// <see cref="KernelCalibration"/> measured the sparse kernels faster on this CPU for this layer's shape and batch:
/// training keeps a compact copy (sparse forward, backward and optimiser update) when the mask's density is at most the
/// training crossover; an inference pass runs sparse when the layer holds a compact copy and the density is at most the
/// inference crossover. A layer that has not trained in this process (a loaded model) decides by the inference
/// crossover alone. An unpruned weight never runs sparse automatically. Each crossover used is recorded on the weight
/// (<see cref="Parameter.KernelCrossovers"/>) and reused from then on, also after a checkpoint restores it.
/// </summary>
internal sealed class KernelChoice(ISparseKernelLayer layer)
{
    private (long Version, KernelPath Path, int TrainingRows) _decided = (-1, KernelPath.Automatic, 0);

    // Rows of the last training batch (0: none yet), so an evaluation pass between epochs keeps the training choice.
    private int _trainingRows;

    // The last inference lookup, so a forward pass does not build a calibration key.
    private (int Rows, double Crossover) _inference = (-1, 0);

    private (double Training, double Inference)? _pinned;

    /// <summary>Crossovers that replace the calibration for this layer (tests pin the choice with it).</summary>
    internal (double Training, double Inference)? Pinned
    {
        get => _pinned;
        set
        {
            _pinned = value;
            _decided = (-1, KernelPath.Automatic, 0);
            _inference = (-1, 0);
        }
    }

    /// <summary>
    /// Returns the compact weights the layer should run on for a batch of <paramref name="rows"/> (null: run dense),
    /// rebuilding them when the weight changed since the last decision.
    /// </summary>
    public SparseWeights? Select(KernelPath path, int rows, bool training)
    {
        var weight = layer.Weight;
        if (training)
        {
            _trainingRows = rows;
        }

        var current = weight.Sparse;
        if (_decided == (weight.Version, path, _trainingRows) && (current is null || current.IsCurrent(weight)))
        {
            return current;
        }

        bool sparse = path switch
        {
            KernelPath.Sparse => true,
            KernelPath.Dense => false,
            _ => Density(weight) is var density && density < 1
                && density <= (_trainingRows > 0 ? Crossover(_trainingRows, training: true) : Crossover(rows, training: false)),
        };
        int outputs = weight.Value.Dim(0);
        weight.Sparse = sparse ? SparseWeights.Build(weight, outputs, weight.Length / outputs) : null;
        _decided = (weight.Version, path, _trainingRows);
        return weight.Sparse;
    }

    /// <summary>Whether a forward pass of <paramref name="rows"/> with compact weights <paramref name="sparse"/> runs the sparse kernels.</summary>
    public bool RunsSparse(SparseWeights? sparse, KernelPath path, int rows, bool training)
    {
        if (sparse is null || training || path == KernelPath.Sparse)
        {
            return sparse is not null;
        }

        if (_inference.Rows != rows)
        {
            _inference = (rows, Crossover(rows, training: false));
        }

        return sparse.Pattern.Density <= _inference.Crossover;
    }

    private double Crossover(int rows, bool training)
    {
        // The crossover first used for a batch size stays the run's (a checkpoint restores it), so the calibration of
        // a resumed process, measured under other load or read from another cache, cannot switch kernels mid-run.
        var recorded = layer.Weight.KernelCrossovers ??= [];
        if (_pinned is { } pinned)
        {
            double forced = training ? pinned.Training : pinned.Inference;
            recorded[(rows, training)] = forced;
            return forced;
        }

        if (!recorded.TryGetValue((rows, training), out double crossover))
        {
            crossover = KernelCalibration.Crossover(layer, rows, training);
            recorded[(rows, training)] = crossover;
        }

        return crossover;
    }

    private static double Density(Parameter weight) =>
        weight.Mask is { } mask ? TensorPrimitives.Sum<float>(mask.Span) / weight.Length : 1.0;
}
