using Occam.Optimizers;
using Occam.Tensors;

namespace Occam.Pruning;

/// <summary>
/// Occam Gradient Descent for any training loop: masks, a criterion, a schedule and the best snapshot by held-out
/// loss. <see cref="Training.Trainer"/> uses it; in a loop of your own it takes a couple of lines.
/// </summary>
/// <example>
/// <code>
/// var optimizer = new Adam(model.Parameters);
/// var pruner = new Pruner(model.Parameters, optimizer, new MagnitudeCriterion(), new OccamController(), totalEpochs: 12);
/// for (int epoch = 1; epoch &lt;= 12; epoch++)
/// {
///     foreach (var (x, y) in batches)
///     {
///         loss.Forward(model.Forward(x, training: true), y);
///         model.Backward(loss.Backward());
///         optimizer.Step();
///         pruner.AfterStep();                      // keeps pruned weights and their Adam moments at zero
///     }
///
///     pruner.EndEpoch(HoldoutLoss(model), HoldoutStandardError(model)); // keeps the best snapshot, then prunes as the schedule says
/// }
///
/// pruner.RestoreBest();                            // the selected model: lowest held-out loss
/// </code>
/// If a decision has <see cref="PruningDecision.Rewind"/> set (lottery tickets), create a fresh optimiser and assign it
/// to <see cref="Optimizer"/>.
/// </example>
/// <remarks>
/// Order inside <see cref="EndEpoch"/>: record the loss; ask the schedule; snapshot the model if the decision selects it
/// (<see cref="PruningDecision.SelectCurrent"/>) or, when it leaves that open, if its held-out loss is the lowest so far;
/// save a rewind point if asked; restore the best snapshot if asked (also without a cut); prune (skipped after the final
/// epoch, whose pruned model nobody would evaluate, unless the decision restarts selection); rewind if asked; forget
/// the best if asked (the caller should then evaluate the cut model and offer it through <see cref="ConsiderCandidate"/>).
/// </remarks>
public sealed class Pruner
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly List<double> _losses = [];
    private readonly List<double> _standardErrors = [];
    private readonly ParameterSnapshot _best = new();
    private readonly ParameterSnapshot _rewindPoint = new();
    private Optimizer? _optimizer;

    /// <summary>
    /// Creates a pruner over <paramref name="parameters"/> (all of the model's: non-prunable ones are snapshotted and
    /// rewound but never masked). Defaults: per-layer magnitude and the occam controller. <paramref name="holdoutExamples"/>
    /// is the size of the held-out set the losses will come from, if known.
    /// </summary>
    public Pruner(IReadOnlyList<Parameter> parameters, Optimizer? optimizer, IPruningCriterion? criterion = null,
        IPruningSchedule? schedule = null, int? totalEpochs = null, int? holdoutExamples = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        Masks = new PruningMasks(parameters);
        Criterion = criterion ?? new MagnitudeCriterion();
        Schedule = schedule ?? new OccamController();
        TotalEpochs = totalEpochs;
        HoldoutExamples = holdoutExamples;
        Optimizer = optimizer;
        var initial = Schedule.Decide(Context());
        if (initial.SaveRewindPoint)
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

    /// <summary>The epoch budget, if known (some schedules need it; no pruning follows the final epoch).</summary>
    public int? TotalEpochs { get; }

    /// <summary>Examples in the held-out set, if known (a schedule may trust the held-out loss more on a larger set).</summary>
    public int? HoldoutExamples { get; }

    /// <summary>The optimiser whose state is masked with the weights; set it again when replacing the optimiser.</summary>
    public Optimizer? Optimizer
    {
        get => _optimizer;
        set
        {
            _optimizer = value;
            Masks.Attach(value);
        }
    }

    /// <summary>Epochs ended so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>Held-out loss after each epoch.</summary>
    public IReadOnlyList<double> HoldoutLosses => _losses;

    /// <summary>The epoch of the best snapshot, or 0 when there is none.</summary>
    public int BestEpoch => _best.HasValue ? _best.Epoch : 0;

    /// <summary>The held-out loss of the best snapshot (+∞ when there is none).</summary>
    public double BestHoldoutLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>True when the last <see cref="EndEpoch"/> or <see cref="ConsiderCandidate"/> produced a new best.</summary>
    public bool LastWasBest { get; private set; }

    /// <summary>True when the last <see cref="EndEpoch"/> pruned (or restored and pruned) the model.</summary>
    public bool LastCutApplied { get; private set; }

    /// <summary>Re-applies the masks to the weights and optimiser state. Call after every optimiser step.</summary>
    public void AfterStep() => Masks.ApplyAfterStep();

    /// <summary>
    /// Ends an epoch whose model has held-out loss <paramref name="holdoutLoss"/> (with standard error
    /// <paramref name="holdoutStandardError"/> over the held-out examples, if known): keeps the best snapshot and
    /// prunes as the schedule decides. Returns the decision.
    /// </summary>
    public PruningDecision EndEpoch(double holdoutLoss, double holdoutStandardError = 0)
    {
        LastCutApplied = false;
        Epoch++;
        _losses.Add(holdoutLoss);
        _standardErrors.Add(holdoutStandardError);
        var decision = Schedule.Decide(Context());
        LastWasBest = decision.SelectCurrent is bool select ? select && Select(holdoutLoss) : Consider(holdoutLoss);
        if (decision.SaveRewindPoint)
        {
            _rewindPoint.Capture(_parameters, Epoch);
        }

        // A cut after the final epoch is pointless (nothing would evaluate it) unless the caller evaluates the cut model.
        bool prune = (decision.Fraction > 0 || decision.TargetDensity is not null) && (Epoch != TotalEpochs || decision.RestartSelection);

        // Restoring without a cut is "undo and continue from the best model"; after the final epoch the trainer restores anyway.
        if (decision.RestoreBestFirst && _best.HasValue && (prune || Epoch != TotalEpochs))
        {
            RestoreBest();
        }

        if (prune)
        {
            if (decision.TargetDensity is double density)
            {
                Masks.PruneToDensity(Criterion, density);
            }
            else
            {
                Masks.Prune(Criterion, decision.Fraction);
            }
        }

        LastCutApplied = prune;
        if (prune && decision.Rewind)
        {
            if (!_rewindPoint.HasValue)
            {
                throw new InvalidOperationException("The schedule asked to rewind before saving a rewind point.");
            }

            _rewindPoint.Restore(_parameters, includeMasks: false);
            Masks.Apply();
        }

        if (prune && decision.RestartSelection)
        {
            _best.Clear();
            BestHoldoutLoss = double.PositiveInfinity;
        }

        return decision;
    }

    /// <summary>
    /// Offers the current model as a candidate for the best snapshot without ending an epoch (e.g. the model just after a
    /// one-shot cut). Returns true when it became the best.
    /// </summary>
    public bool ConsiderCandidate(double holdoutLoss)
    {
        LastWasBest = Consider(holdoutLoss);
        return LastWasBest;
    }

    /// <summary>Writes the best snapshot (weights and masks) back into the model; no-op when there is none.</summary>
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
        state.BestHoldoutLoss = BestHoldoutLoss;
        state.LastWasBest = LastWasBest;
        state.LastCutApplied = LastCutApplied;
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
        BestHoldoutLoss = state.BestHoldoutLoss;
        LastWasBest = state.LastWasBest;
        LastCutApplied = state.LastCutApplied;
        _best.CopyFrom(state.Best);
        _rewindPoint.CopyFrom(state.RewindPoint);
        Masks.Recount();
    }

    private PruningContext Context() =>
        new(Epoch, TotalEpochs, _losses, _standardErrors, Masks.Density) { HoldoutExamples = HoldoutExamples };

    // NaN never compares lower, so a diverged model is never selected.
    private bool Consider(double holdoutLoss) => holdoutLoss < BestHoldoutLoss && Select(holdoutLoss);

    private bool Select(double holdoutLoss)
    {
        if (!double.IsFinite(holdoutLoss))
        {
            return false;
        }

        BestHoldoutLoss = holdoutLoss;
        _best.Capture(_parameters, Epoch);
        return true;
    }
}
