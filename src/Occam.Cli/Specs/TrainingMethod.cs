namespace Occam.Cli.Specs;

/// <summary>The training methods <c>--method</c> can name.</summary>
internal enum TrainingMethod
{
    /// <summary>Occam Gradient Descent with the library's default controller.</summary>
    Occam,

    /// <summary>Occam Gradient Descent exactly as the seed paper states it (SPEC §2).</summary>
    OccamPaper,

    /// <summary>Plain gradient descent, no pruning.</summary>
    Dense,

    /// <summary>Dense training, then one-shot pruning after training.</summary>
    Posthoc,

    /// <summary>Gradual magnitude pruning to a target sparsity (Zhu &amp; Gupta).</summary>
    Gmp,

    /// <summary>Iterative magnitude pruning with weight rewinding (lottery tickets).</summary>
    Imp,
}
