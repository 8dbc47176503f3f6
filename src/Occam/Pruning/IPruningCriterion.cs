namespace Occam.Pruning;

/// <summary>
/// Decides which alive weights to prune (JaxPruner's "criterion" with its sparsity distribution and type):
/// it only clears mask entries; <see cref="PruningMasks.Prune"/> then zeroes the weights.
/// Implementations keep scratch buffers and are not thread-safe.
/// </summary>
public interface IPruningCriterion
{
    /// <summary>Short name used in run records, e.g. "magnitude".</summary>
    string Name { get; }

    /// <summary>Clears the mask entries of the weights to prune: the fraction <paramref name="fraction"/> (0..1) of the alive ones.</summary>
    void Prune(PruningMasks masks, double fraction);
}
