using Occam.Data;
using Occam.Layers;
using Occam.Optimizers;
using Occam.Tensors;
using Occam.Training;

namespace Occam.Pruning;

/// <summary>
/// Occam Gradient Descent for any training loop, the algorithm <see cref="Training.Trainer"/> runs too: it wraps the
/// optimiser (<see cref="Step"/> keeps pruned weights and their optimiser state at zero) and, at each decision point,
/// evaluates the held-out set, selects, restores, cuts and rewinds as the schedule and criterion say
/// (<see cref="EndEpoch"/>, or <see cref="Decide"/> when <see cref="Step"/> says one is due).
/// <see cref="RestoreBest"/> leaves the selected model in place.
/// </summary>
/// <remarks>
/// <para>Each held-out evaluation that keeps its per-example losses (<see cref="Evaluation.ExampleLosses"/>: the
/// evaluator a data-based pruner uses, and <see cref="Evaluation.FromLosses"/>) is compared example by example with the
/// selected model and the lowest-loss selected model (<see cref="PruningContext.PairedWithSelected"/>,
/// <see cref="PruningContext.PairedWithLowest"/>), so a schedule can tell a real change from held-out noise.</para>
/// Decision points are the ends of epochs by default; with <see cref="PruneEvery"/> = N they are every N-th optimiser
/// step instead (the loop calls <see cref="Decide"/> whenever <see cref="Step"/> returns true, and never
/// <see cref="EndEpoch"/>). A schedule counts decision points, not epochs, whatever its options are called: under a step
/// cadence a warm-up, a round length or a patience of k "epochs" means k decision points, and the budget given as
/// <c>totalEpochs</c> is the run's number of decision points.
/// </remarks>
/// <example>
/// <code>
/// var pruner = new Pruner(model, new Adam(model.Parameters), data, holdoutRows, totalEpochs: 12);
/// for (int epoch = 1; epoch &lt;= 12; epoch++)
/// {
///     foreach (var (x, y) in batches)
///     {
///         loss.Forward(model.Forward(x, training: true), y);
///         model.Backward(loss.Backward());
///         pruner.Step();
///     }
///
///     if (pruner.EndEpoch().Stop)
///     {
///         break;
///     }
/// }
///
/// // Or a decision every 100 steps (budget: the run's decision points):
/// // var pruner = new Pruner(…, totalEpochs: totalSteps / 100) { PruneEvery = 100 };
/// // … if (pruner.Step() &amp;&amp; pruner.Decide().Stop) { … }
///
/// pruner.RestoreBest();
/// </code>
/// </example>
public sealed class Pruner
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Func<Evaluation> _holdout;
    private readonly List<double> _losses = [];
    private readonly List<double> _standardErrors = [];
    private readonly List<PairedDifference> _pairedWithSelected = [];
    private readonly List<PairedDifference> _pairedWithLowest = [];

    // Per-example held-out losses of the selected model and of the lowest-loss model ever selected: the references of the pairs.
    private float[] _selectedLosses = [];
    private float[] _lowestLosses = [];
    private double _lowestLoss = double.PositiveInfinity;
    private readonly ParameterSnapshot _best = new();
    private readonly ParameterSnapshot _rewindPoint = new();

    /// <summary>
    /// Creates a pruner of <paramref name="model"/> trained by <paramref name="optimizer"/> that judges it on the examples
    /// of <paramref name="data"/> at <paramref name="holdout"/> (none of which may be trained on). Defaults: the occam
    /// controller and per-layer magnitude. <paramref name="totalEpochs"/> is the epoch budget, which some schedules need.
    /// </summary>
    public Pruner(Layer model, Optimizer optimizer, Dataset data, int[] holdout, IPruningSchedule? schedule = null,
        IPruningCriterion? criterion = null, int? totalEpochs = null)
        : this(Checked(model).Parameters, optimizer, HoldoutOf(model, data, holdout), holdout.Length, schedule, criterion, totalEpochs)
    {
    }

    /// <summary>
    /// Creates a pruner over <paramref name="parameters"/> (all of the model's: non-prunable ones are snapshotted and
    /// rewound but never masked) that calls <paramref name="holdout"/> for the held-out figures of the model as it is
    /// (<see cref="Evaluator.Evaluate"/> on the held-out rows, or <see cref="Evaluation.FromLosses"/> of the per-example
    /// losses a loop of one's own computes) over <paramref name="holdoutExamples"/> examples: the standard error and the
    /// size decide how far a schedule trusts a difference in loss.
    /// </summary>
    public Pruner(IReadOnlyList<Parameter> parameters, Optimizer optimizer, Func<Evaluation> holdout, int holdoutExamples,
        IPruningSchedule? schedule = null, IPruningCriterion? criterion = null, int? totalEpochs = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentOutOfRangeException.ThrowIfLessThan(holdoutExamples, 1);
        _parameters = parameters;
        _holdout = holdout;
        Optimizer = optimizer;
        Masks = new PruningMasks(parameters);
        Masks.Attach(optimizer);
        Criterion = criterion ?? new MagnitudeCriterion();
        Schedule = schedule ?? new OccamController();
        TotalEpochs = totalEpochs;
        HoldoutExamples = holdoutExamples;
        if (Schedule.Decide(Context()).SaveRewindPoint)
        {
            _rewindPoint.Capture(_parameters, 0);
        }
    }

    /// <summary>The masks.</summary>
    public PruningMasks Masks { get; }

    /// <summary>Which weights to prune.</summary>
    public IPruningCriterion Criterion { get; }

    /// <summary>When and how much to prune.</summary>
    public IPruningSchedule Schedule { get; }

    /// <summary>The optimiser <see cref="Step"/> runs; a rewind resets it.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The budget in decision points (epochs by default), if known (some schedules need it; no pruning follows the final one).</summary>
    public int? TotalEpochs { get; }

    /// <summary>Examples in the held-out set.</summary>
    public int HoldoutExamples { get; }

    /// <summary>
    /// Optimiser steps between decision points; null (the default) decides at the end of each epoch instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? PruneEvery
    {
        get;
        init
        {
            if (value is int n)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(PruneEvery));
            }

            field = value;
        }
    }

    /// <summary>Optimiser steps taken so far.</summary>
    public long Steps { get; internal set; }

    /// <summary>Decision points passed so far: epochs ended, or step-cadence decisions under <see cref="PruneEvery"/>.</summary>
    public int Epoch { get; private set; }

    /// <summary>Held-out loss after each decision point.</summary>
    public IReadOnlyList<double> HoldoutLosses => _losses;

    /// <summary>The decision point (epoch by default) of the selected model, or 0 when there is none.</summary>
    public int BestEpoch => _best.HasValue ? _best.Epoch : 0;

    /// <summary>The held-out loss of the selected model (+∞ when there is none).</summary>
    public double BestHoldoutLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Held-out evaluations that competed for selection: one per epoch, one per cut that restarted selection, one per <see cref="ConsiderCurrent"/>.</summary>
    public int Candidates { get; private set; }

    /// <summary>The 0-based index among <see cref="Candidates"/> of the selected model, or −1 when there is none.</summary>
    public int BestCandidate { get; private set; } = -1;

    /// <summary>
    /// One optimiser step from the current gradients, then the masks on the weights and optimiser state. Returns true
    /// when this step completes <see cref="PruneEvery"/> steps since the last decision point: the loop then calls
    /// <see cref="Decide"/>. Always false without a step cadence.
    /// </summary>
    public bool Step()
    {
        Optimizer.Step();
        Masks.ApplyAfterStep();
        Steps++;
        return PruneEvery is int n && Steps % n == 0;
    }

    /// <summary>Ends an epoch: the decision point of the default cadence (see <see cref="Decide"/>).</summary>
    /// <exception cref="InvalidOperationException">A step cadence is set (<see cref="PruneEvery"/>): decisions follow <see cref="Step"/>.</exception>
    public PruningStep EndEpoch() => PruneEvery is null
        ? Decide()
        : throw new InvalidOperationException("Under a step cadence (PruneEvery) the loop calls Decide when Step returns true, not EndEpoch.");

    /// <summary>
    /// A decision point: evaluates the held-out set, then, as the schedule decides, selects the model, restores the selected
    /// one, prunes, rewinds the surviving weights (resetting the optimiser) and, after a post-training cut, makes the cut
    /// model the first candidate of a new selection. A cut after the final epoch is skipped (nothing would train or
    /// judge it) unless it restarts selection.
    /// </summary>
    public PruningStep Decide()
    {
        var holdout = _holdout();
        if (!double.IsFinite(holdout.Loss))
        {
            return new PruningStep { Holdout = holdout, Diverged = true };
        }

        Epoch++;
        _losses.Add(holdout.Loss);
        _standardErrors.Add(holdout.StandardError);
        var losses = holdout.ExampleLosses.Span;
        _pairedWithSelected.Add(Paired(losses, _selectedLosses));
        _pairedWithLowest.Add(Paired(losses, _lowestLosses));
        var decision = Schedule.Decide(Context());
        bool selected = decision.SelectCurrent is bool select ? select && Select(holdout) : Consider(holdout);
        Candidates++;
        if (decision.SaveRewindPoint)
        {
            _rewindPoint.Capture(_parameters, Epoch);
        }

        bool prune = (decision.Fraction > 0 || decision.TargetDensity is not null) && (Epoch != TotalEpochs || decision.RestartSelection);

        // Restoring without a cut is "undo and continue from the selected model"; after the final epoch it happens at the end anyway.
        if (decision.RestoreBestFirst && _best.HasValue && (prune || Epoch != TotalEpochs))
        {
            RestoreBest();
        }

        var step = new PruningStep { Holdout = holdout, Selected = selected, Rate = decision.Rate, Zeta = decision.Zeta, Pruned = prune, Stop = decision.Stop };
        if (!prune)
        {
            return step;
        }

        if (decision.TargetDensity is double density)
        {
            Masks.PruneToDensity(Criterion, density);
        }
        else
        {
            Masks.Prune(Criterion, decision.Fraction);
        }

        if (decision.Rewind)
        {
            if (!_rewindPoint.HasValue)
            {
                throw new InvalidOperationException("The schedule asked to rewind before saving a rewind point.");
            }

            // Lottery-ticket rewinding restarts training from early weights with a fresh optimiser.
            _rewindPoint.Restore(_parameters, includeMasks: false);
            Masks.Apply();
            Optimizer.Reset();
        }

        if (!decision.RestartSelection)
        {
            return step;
        }

        _best.Clear();
        _selectedLosses = [];
        _lowestLosses = [];
        _lowestLoss = double.PositiveInfinity;
        BestHoldoutLoss = double.PositiveInfinity;
        BestCandidate = -1;
        var (cut, cutSelected) = ConsiderCurrent();
        return step with { Cut = cut, CutSelected = cutSelected };
    }

    /// <summary>
    /// Evaluates the model as it is and offers it for selection without ending an epoch (e.g. a model pruned after
    /// training before any fine-tuning). Returns its held-out figures and whether it became the selected model.
    /// </summary>
    public (Evaluation Holdout, bool Selected) ConsiderCurrent()
    {
        var holdout = _holdout();
        bool selected = Consider(holdout);
        Candidates++;
        return (holdout, selected);
    }

    /// <summary>Writes the selected model (weights and masks) back; no-op when there is none.</summary>
    public void RestoreBest()
    {
        if (!_best.HasValue)
        {
            return;
        }

        _best.Restore(_parameters);
        Masks.Recount();
        Masks.Apply();
    }

    /// <summary>Copies the pruner's epoch-to-epoch state into <paramref name="state"/> (for checkpoints).</summary>
    internal void SaveState(PrunerState state)
    {
        state.Epoch = Epoch;
        state.Losses.Clear();
        state.Losses.AddRange(_losses);
        state.StandardErrors.Clear();
        state.StandardErrors.AddRange(_standardErrors);
        state.PairedWithSelected.Clear();
        state.PairedWithSelected.AddRange(_pairedWithSelected);
        state.PairedWithLowest.Clear();
        state.PairedWithLowest.AddRange(_pairedWithLowest);
        state.SelectedLosses = _selectedLosses;
        state.LowestLosses = _lowestLosses;
        state.LowestLoss = _lowestLoss;
        state.BestHoldoutLoss = BestHoldoutLoss;
        state.Candidates = Candidates;
        state.BestCandidate = BestCandidate;
        state.Best.CopyFrom(_best);
        state.RewindPoint.CopyFrom(_rewindPoint);
    }

    /// <summary>Restores the state saved by <see cref="SaveState"/>; the masks must already be back on the parameters.</summary>
    internal void LoadState(PrunerState state)
    {
        Epoch = state.Epoch;
        _losses.Clear();
        _losses.AddRange(state.Losses);
        _standardErrors.Clear();
        _standardErrors.AddRange(state.StandardErrors);
        _pairedWithSelected.Clear();
        _pairedWithSelected.AddRange(state.PairedWithSelected);
        _pairedWithLowest.Clear();
        _pairedWithLowest.AddRange(state.PairedWithLowest);
        _selectedLosses = state.SelectedLosses;
        _lowestLosses = state.LowestLosses;
        _lowestLoss = state.LowestLoss;
        BestHoldoutLoss = state.BestHoldoutLoss;
        Candidates = state.Candidates;
        BestCandidate = state.BestCandidate;
        _best.CopyFrom(state.Best);
        _rewindPoint.CopyFrom(state.RewindPoint);
        Masks.Recount();
    }

    private static Layer Checked(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model;
    }

    private static Func<Evaluation> HoldoutOf(Layer model, Dataset data, int[] holdout)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(holdout);
        var evaluator = new Evaluator();
        return () => evaluator.Evaluate(model, data, holdout, keepExampleLosses: true);
    }

    private PruningContext Context() =>
        new(Epoch, TotalEpochs, _losses, _standardErrors, Masks.Density)
        {
            HoldoutExamples = HoldoutExamples,
            PairedWithSelected = _pairedWithSelected,
            PairedWithLowest = _pairedWithLowest,
        };

    private static PairedDifference Paired(ReadOnlySpan<float> losses, float[] reference) =>
        losses.Length > 0 && losses.Length == reference.Length ? PairedDifference.Between(losses, reference) : PairedDifference.None;

    // NaN never compares lower, so a diverged model is never selected.
    private bool Consider(Evaluation holdout) => holdout.Loss < BestHoldoutLoss && Select(holdout);

    private bool Select(Evaluation holdout)
    {
        if (!double.IsFinite(holdout.Loss))
        {
            return false;
        }

        BestHoldoutLoss = holdout.Loss;
        BestCandidate = Candidates;
        _best.Capture(_parameters, Epoch);
        _selectedLosses = holdout.ExampleLosses.ToArray();
        if (holdout.Loss < _lowestLoss)
        {
            _lowestLoss = holdout.Loss;
            _lowestLosses = _selectedLosses;
        }

        return true;
    }
}
