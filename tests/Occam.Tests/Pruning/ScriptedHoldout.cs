using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;
using Occam.Training;

namespace Occam.Tests.Pruning;

/// <summary>A pruner whose held-out losses are given by the test, one per <see cref="End"/>.</summary>
internal sealed class ScriptedHoldout
{
    private double _next = double.NaN;

    public ScriptedHoldout(IReadOnlyList<Parameter> parameters, IPruningSchedule schedule, int? totalEpochs = null,
        Optimizer? optimizer = null, IPruningCriterion? criterion = null, int holdoutExamples = 50)
    {
        Pruner = new Pruner(parameters, optimizer ?? new Sgd(parameters), () => new Evaluation(_next, double.NaN, 0),
            holdoutExamples, schedule, criterion, totalEpochs);
    }

    public Pruner Pruner { get; }

    /// <summary>Ends an epoch whose model has held-out loss <paramref name="loss"/>.</summary>
    public PruningStep End(double loss)
    {
        _next = loss;
        return Pruner.EndEpoch();
    }
}
