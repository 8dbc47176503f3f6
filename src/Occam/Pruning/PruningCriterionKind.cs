namespace Occam.Pruning;

/// <summary>How weights are scored for pruning (JaxPruner's score and sparsity type).</summary>
public enum PruningCriterionKind
{
    /// <summary>Smallest absolute value first.</summary>
    Magnitude,

    /// <summary>Uniformly at random (the ablation control).</summary>
    Random,

    /// <summary>Whole output units (neurons, channels), smallest L2 norm first; <see cref="Models.ModelCompaction"/> then removes them physically.</summary>
    Structured,
}
