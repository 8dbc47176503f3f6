namespace Occam.Pruning;

/// <summary>How a pruning fraction is spread over the prunable tensors (JaxPruner's sparsity distribution).</summary>
public enum PruningDistribution
{
    /// <summary>The same fraction of every tensor.</summary>
    Layer,

    /// <summary>One threshold over the whole model: layers with smaller weights lose more.</summary>
    Global,
}
