using System.Diagnostics;
using Occam.Data;
using Occam.Kernels;
using Occam.Layers;
using Occam.Losses;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Training.Checkpoints;

namespace Occam.Training;

/// <summary>
/// Trains any classifier or regressor <see cref="Layer"/> (the task is the training data's) with any <see cref="Optimizer"/>, pruning criterion and schedule
/// (Occam Gradient Descent and its baselines, SPEC §2), and returns the run's records.
/// </summary>
/// <remarks>
/// A run: a seeded, stratified held-out split of the training set (or the data's own, <see cref="Dataset.Holdout"/>:
/// text holds out a region of its text); then per epoch: shuffled mini-batches (seeded),
/// masks re-applied after every optimiser step; the held-out loss (inference mode) and, when given, the test loss and
/// accuracy — the test set is only reported, never used; the best snapshot (weights, masks, epoch) kept by held-out
/// loss alone; pruning as the schedule decides. At the end the model holds the best snapshot.
/// The trainer turns off the model's input gradient (nothing consumes it). For posthoc pruning of an already
/// trained model use <see cref="TrainerOptions.Epochs"/> = 0 (evaluate only) or a few fine-tuning epochs: masks
/// already on the parameters are kept.
/// With <see cref="TrainerOptions.CheckpointDirectory"/> a checkpoint is written after every epoch and
/// <see cref="TrainerOptions.Resume"/> continues from it. A NaN or infinite loss restores the last good epoch and halves
/// the learning rate (the divergence guard, <see cref="RunSummary.Divergences"/>); after
/// <see cref="TrainerOptions.DivergenceLimit"/> such events the run stops with <see cref="TrainingDivergedException"/>.
/// </remarks>
public sealed class Trainer
{
    /// <summary>Creates a trainer with <paramref name="options"/> (null: the defaults).</summary>
    public Trainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Epochs, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.BatchSize, 1, nameof(options));
        if (!(Options.HoldoutFraction > 0 && Options.HoldoutFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The held-out fraction must be in (0, 1).");
        }

        if (Options.PruneEvery < 1 || Options.HoldoutSubsample < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PruneEvery and HoldoutSubsample must be at least 1.");
        }

        if (Options.HoldoutSubsample is not null && Options.PruneEvery is null)
        {
            throw new ArgumentException("HoldoutSubsample applies only with PruneEvery.", nameof(options));
        }
    }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> (built for <paramref name="train"/>'s example shape) on <paramref name="train"/>,
    /// reports on <paramref name="test"/> if given, leaves the selected model in <paramref name="model"/> and returns the
    /// run's records.
    /// </summary>
    /// <exception cref="DataFormatException">The training data is too small (or its classes too small) to hold out a selection set, or gives fewer optimiser steps than <see cref="TrainerOptions.PruneEvery"/>.</exception>
    public RunSummary Run(Layer model, Dataset train, Dataset? test = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (!model.IsBuilt)
        {
            throw new ArgumentException("The model must be built before training.", nameof(model));
        }

        if (!model.InputShape.SequenceEqual(train.ExampleShape))
        {
            throw new ArgumentException(
                $"The model expects examples of shape [{string.Join(", ", model.InputShape.ToArray())}], the data has [{string.Join(", ", train.ExampleShape)}].",
                nameof(train));
        }

        var o = Options;
        var (fitIndices, holdoutIndices, _, holdoutDescription) = HoldoutSplitOf(train);
        if (fitIndices.Length == 0 || holdoutIndices.Length == 0)
        {
            // A property of the data, not a programming error: callers report it as bad input.
            string why = train.LabelsPerExample == 1 && holdoutIndices.Length == 0
                ? $" (the split holds out {o.HoldoutFraction:P0} of each class, and no class has enough examples: {train.ClassCount} classes in {train.Count} examples)"
                : "";
            throw new DataFormatException($"{train.Count} examples are too few to hold out {o.HoldoutFraction:P0} for selection and still train{why}.");
        }

        if (test is not null && test.Task != train.Task)
        {
            throw new ArgumentException($"The training data is for {train.Task}, the test data for {test.Task}.", nameof(test));
        }

        model.ComputeInputGradient = false;
        var run = new RunState(model, train, test, o, fitIndices, holdoutIndices, holdoutDescription);
        if (o.Resume)
        {
            run.ResumeFromCheckpoint();
        }

        if (o.Epochs == 0)
        {
            run.EvaluateOnly();
        }
        else
        {
            run.Train(cancellationToken);
        }

        return run.Finish();
    }

    /// <summary>
    /// The held-out split a run of this trainer makes of <paramref name="train"/>: the data's own when it has one
    /// (<see cref="Dataset.Holdout"/>, text windows), else a seeded split of the examples stratified by class. Sequence
    /// data without its own split is refused, because windows drawn from one text overlap and a random split of them
    /// would hold out text that is also trained on. The arrays are the caller's (the run shuffles its training indices).
    /// </summary>
    /// <exception cref="ArgumentException">Sequence data without its own split, or a split made for another fraction.</exception>
    public HoldoutSplit HoldoutSplitOf(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var o = Options;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (train.Holdout is { } own)
        {
            if (own.Fraction != o.HoldoutFraction)
            {
                throw new ArgumentException(
                    string.Create(inv, $"The data's held-out split was made for a fraction of {own.Fraction}, the trainer holds out {o.HoldoutFraction}."), nameof(train));
            }

            return own with { Train = [.. own.Train], Holdout = [.. own.Holdout] };
        }

        if (train.LabelsPerExample != 1)
        {
            throw new ArgumentException(
                "Sequence data needs a held-out split of its own (e.g. TextCorpus.TrainingWindows): a random split of overlapping windows leaks.", nameof(train));
        }

        var (fit, holdout) = Splits.Stratified(train.Labels, o.HoldoutFraction, o.Seed);
        string description = train.Task == LearningTask.Regression
            ? string.Create(inv, $"random: {o.HoldoutFraction:P0} of the examples (seed {o.Seed})")
            : string.Create(inv, $"stratified: {o.HoldoutFraction:P0} of each class's examples, at random (seed {o.Seed})");
        return new HoldoutSplit(fit, holdout, o.HoldoutFraction, description);
    }

    /// <summary>
    /// Continues the run whose checkpoint is in <paramref name="checkpointDirectory"/> with this trainer's settings
    /// (which must be the run's), on a model built with the run's architecture; see <see cref="TrainerOptions.Resume"/>.
    /// </summary>
    public RunSummary Resume(Layer model, Dataset train, Dataset? test, string checkpointDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointDirectory);
        return new Trainer(Options with { CheckpointDirectory = checkpointDirectory, Resume = true }).Run(model, train, test, cancellationToken);
    }

    /// <summary>
    /// The generator that shuffles a run's training rows before each epoch: a stream of its own (the seed mixed with a
    /// constant), so it differs from dropout generators seeded alike.
    /// </summary>
    internal static SplitMix64 BatchOrder(int seed) => new(((ulong)(uint)seed << 32) ^ 0x5348554646_4C45UL);

    /// <summary>The mutable state of one run, so that <see cref="Run"/> stays readable.</summary>
    private sealed class RunState
    {
        private readonly Layer _model;
        private readonly Dataset _train;
        private readonly Dataset? _test;
        private readonly TrainerOptions _options;
        private readonly int[] _order;
        private readonly int[] _holdout;

        // The held-out rows each decision point is judged on: all of _holdout, or its seeded subsample.
        private readonly int[] _judged;
        private readonly int _batches;
        private readonly string _holdoutDescription;
        private readonly Evaluator _evaluator;
        private readonly SoftmaxCrossEntropy _loss = new();
        private readonly IRegressionLoss _regressionLoss;
        private readonly bool _regression;
        private readonly Pruner _pruner;
        private readonly List<EpochRecord> _records = [];
        private readonly long _totalParams;
        private readonly TrainingCheckpoint _lastGood = new();
        private readonly List<DivergenceEvent> _divergences = [];
        private readonly Optimizer _optimizer;

        // What the pruner's held-out evaluations since the last epoch measured, for the records.
        private readonly List<EpochRecord> _evaluated = [];
        private SplitMix64 _shuffle;
        private bool _stoppedEarly;
        private bool _finished;

        // Set by a resume from a checkpoint written inside an epoch: the next epoch starts from there.
        private StepCheckpoint? _resumeStep;

        private string Method => _options.Method ?? _options.Schedule.Name;

        public RunState(Layer model, Dataset train, Dataset? test, TrainerOptions options, int[] fitIndices, int[] holdoutIndices, string holdoutDescription)
        {
            _holdoutDescription = holdoutDescription;
            _model = model;
            _train = train;
            _test = test;
            _options = options;
            _order = fitIndices;
            _holdout = holdoutIndices;
            _evaluator = new Evaluator(options.EvaluationBatchSize, options.HuberDelta);
            _regressionLoss = RegressionLoss.Create(options.HuberDelta);
            _regression = train.Task == LearningTask.Regression;
            _optimizer = options.CreateOptimizer(model.Parameters);
            _batches = (fitIndices.Length + options.BatchSize - 1) / options.BatchSize;
            _judged = Subsample(holdoutIndices, options.HoldoutSubsample, options.Seed);
            int budget = options.Epochs;
            if (options.PruneEvery is int every)
            {
                long steps = (long)options.Epochs * _batches;
                if (steps < every && options.Epochs > 0)
                {
                    // Like a held-out split too small, a property of the data (its size) the caller reports as bad input.
                    throw new DataFormatException($"pruning every {every} steps exceeds the run's {steps} optimiser steps ({options.Epochs} epochs of {_batches} batches): no decision point would be reached");
                }

                budget = (int)(steps / every);
            }

            _pruner = new Pruner(model.Parameters, _optimizer, EvaluateHoldout, _judged.Length, options.Schedule, options.Criterion, budget)
            {
                PruneEvery = options.PruneEvery,
            };
            _shuffle = BatchOrder(options.Seed);
            foreach (var p in model.Parameters)
            {
                _totalParams += p.Length;
            }
        }

        public void EvaluateOnly()
        {
            _evaluated.Clear();
            _pruner.ConsiderCurrent();
            Add(_evaluated[0] with { Epoch = 0, Stage = "initial" });
        }

        public void Train(CancellationToken cancellationToken)
        {
            var o = _options;
            if (_lastGood.Epoch == 0)
            {
                SaveCheckpoint(0, finished: false);
            }

            var input = BatchCopy.CreateInput(_train, o.BatchSize);
            var labels = new int[o.BatchSize * _train.LabelsPerExample];
            float[]? targets = _regression ? new float[o.BatchSize] : null;
            int batches = _batches;

            // MACs change only when pruning, which happens at decision points, so counting once per stretch between them is exact.
            var stretch = new Stretch(_model);
            for (int epoch = _lastGood.Epoch + 1; epoch <= o.Epochs && !_finished; epoch++)
            {
                _shuffle.Shuffle(_order);
                double lossSum = 0, carriedSeconds = 0;
                int firstBatch = 0;
                if (_resumeStep is { } stopped)
                {
                    // The order above is the interrupted epoch's (the checkpoint holds the generator before its shuffle).
                    stopped.State.RestoreModel(_model, _optimizer, _pruner, "the interrupted epoch", includePruner: false);
                    (firstBatch, lossSum, carriedSeconds) = (stopped.Batches, stopped.LossSum, stopped.Seconds);
                    _resumeStep = null;
                }

                _pruner.Steps = ((long)epoch - 1) * batches + firstBatch;

                // A step cadence's stretch runs on across epoch ends that are not decision points (never restored into: see SaveCheckpoint).
                if (o.PruneEvery is not int every || _pruner.Steps % every == 0)
                {
                    stretch = new Stretch(_model);
                }
                long started = Stopwatch.GetTimestamp();
                bool stop = false;
                double? divergedHoldout = null;
                for (int b = firstBatch; b < batches && !stop; b++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        SaveInterruptedEpoch(b, lossSum, carriedSeconds + Stopwatch.GetElapsedTime(started).TotalSeconds);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    int start = b * o.BatchSize;
                    int n = Math.Min(o.BatchSize, _order.Length - start);
                    BatchCopy.Fill(_train, _order.AsSpan(start, n), input, labels, targets);
                    var output = _model.Forward(input, training: true);
                    double batchLoss = (targets is null
                        ? _loss.Forward(output, labels.AsSpan(0, n * _train.LabelsPerExample))
                        : _regressionLoss.Forward(output, targets.AsSpan(0, n))) * (double)n;
                    lossSum += batchLoss;
                    if (!double.IsFinite(lossSum))
                    {
                        break;
                    }

                    _model.Backward(targets is null ? _loss.Backward() : _regressionLoss.Backward());
                    stretch.Add(batchLoss, n);
                    if (_pruner.Step())
                    {
                        var step = DecideWithinEpoch(epoch, b + 1, stretch);
                        if (step.Diverged)
                        {
                            divergedHoldout = _evaluated[0].HoldoutLoss;
                            break;
                        }

                        stop = StopsAfter(step);
                        stretch = new Stretch(_model);
                    }

                    o.Progress?.Report(new TrainingProgress(Method, epoch, o.Epochs, b + 1, batches, lossSum / (start + n), null));
                }

                double seconds = carriedSeconds + Stopwatch.GetElapsedTime(started).TotalSeconds;
                double trainLoss = lossSum / _order.Length;
                if (!double.IsFinite(trainLoss) || divergedHoldout is not null)
                {
                    epoch = RecoverFromDivergence(epoch, trainLoss, divergedHoldout ?? double.NaN);
                    continue;
                }

                if (o.PruneEvery is null)
                {
                    _evaluated.Clear();
                    var step = _pruner.EndEpoch();
                    if (step.Diverged)
                    {
                        epoch = RecoverFromDivergence(epoch, trainLoss, _evaluated[0].HoldoutLoss);
                        continue;
                    }

                    AddDecision(step, _evaluated[0] with
                    {
                        Epoch = epoch,
                        Stage = "train",
                        TrainLoss = trainLoss,
                        PruneRate = step.Rate,
                        Zeta = step.Zeta,
                        TrainSeconds = seconds,
                        TrainFlopsDense = FlopCount.Training(stretch.MacsDense, _order.Length),
                        TrainFlopsSparse = FlopCount.Training(stretch.MacsLive, _order.Length),
                    }, batches);
                    stop = StopsAfter(step);
                }

                _stoppedEarly = stop && epoch < o.Epochs;
                bool finished = stop || epoch == o.Epochs;

                // A checkpoint inside a step cadence's stretch would lose the stretch's training loss, time and FLOPs.
                if (o.PruneEvery is null || finished || stretch.Examples == 0)
                {
                    SaveCheckpoint(epoch, finished);
                }
            }
        }

        /// <summary>The schedule's stop, or <see cref="TrainerOptions.Patience"/> decision points without a new best.</summary>
        private bool StopsAfter(PruningStep step) =>
            step.Stop || (_options.Patience is int patience && _pruner.Epoch - _pruner.BestEpoch >= patience);

        /// <summary>A decision point of the step cadence after <paramref name="batch"/> batches of <paramref name="epoch"/>: decides and records it.</summary>
        private PruningStep DecideWithinEpoch(int epoch, int batch, Stretch stretch)
        {
            _evaluated.Clear();
            var step = _pruner.Decide();
            if (step.Diverged)
            {
                return step;
            }

            double trainLoss = stretch.LossSum / stretch.Examples;
            AddDecision(step, _evaluated[0] with
            {
                Epoch = epoch,
                Stage = "decision",
                Step = _pruner.Steps,
                EpochFraction = (double)_pruner.Steps / _batches,
                HoldoutEvaluated = _judged.Length,
                TrainLoss = trainLoss,
                PruneRate = step.Rate,
                Zeta = step.Zeta,
                TrainSeconds = Stopwatch.GetElapsedTime(stretch.Started).TotalSeconds,
                TrainFlopsDense = FlopCount.Training(stretch.MacsDense, stretch.Examples),
                TrainFlopsSparse = FlopCount.Training(stretch.MacsLive, stretch.Examples),
            }, batch);
            return step;
        }

        /// <summary>Records a decision point (<paramref name="judged"/>) and, when its cut restarted selection, the cut model.</summary>
        private void AddDecision(PruningStep step, EpochRecord judged, int batch)
        {
            double trainLoss = judged.TrainLoss ?? double.NaN;
            Add(judged);
            _options.Progress?.Report(new TrainingProgress(Method, judged.Epoch, _options.Epochs, batch, _batches, trainLoss, judged));
            if (step.Cut is not null)
            {
                var cut = _evaluated[1] with { Epoch = judged.Epoch, Stage = "pruned", Step = judged.Step, EpochFraction = judged.EpochFraction, HoldoutEvaluated = judged.HoldoutEvaluated };
                Add(cut);
                _options.Progress?.Report(new TrainingProgress(Method, judged.Epoch, _options.Epochs, batch, _batches, trainLoss, cut));
            }
        }

        /// <summary>Loads the checkpoint in the checkpoint directory, checks it belongs to this run, and continues from it.</summary>
        public void ResumeFromCheckpoint()
        {
            string directory = _options.CheckpointDirectory
                ?? throw new InvalidOperationException("Resuming needs TrainerOptions.CheckpointDirectory.");
            string path = Checkpoint.PathIn(directory);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"no checkpoint to resume from in '{directory}' ({Checkpoint.FileName} is missing)", path);
            }

            string file = Path.GetFileName(path);
            var (checkpoint, names, options, _) = CheckpointFile.Read(path);
            if (options != CheckpointRunOptions.From(_options))
            {
                throw new InvalidDataException($"{file}: written by a run with other settings than this one; resume with the run's own settings.");
            }

            for (int i = 0; i < names.Length && i < _model.Parameters.Count; i++)
            {
                if (names[i] != _model.Parameters[i].Name)
                {
                    throw new InvalidDataException($"{file}: parameter {i} is '{names[i]}', the model's is '{_model.Parameters[i].Name}'.");
                }
            }

            if (!IsPermutationOf(checkpoint.Order, _order))
            {
                throw new InvalidDataException($"{file}: its batch order does not match this data's training split.");
            }

            CheckCounters(checkpoint, file);
            _options.Recorder?.CheckContinues(checkpoint.Records);

            int batches = (_order.Length + _options.BatchSize - 1) / _options.BatchSize;
            if (checkpoint.Step is { } step && step.Batches >= batches)
            {
                throw new InvalidDataException($"{file}: it was stopped after step {step.Batches} of an epoch of {batches} steps.");
            }

            Restore(checkpoint, file);
            _resumeStep = checkpoint.Step;

            // A process killed while writing leaves its temporary file; this run continues, so it is garbage now.
            Serialization.AtomicFile.RemoveLeftovers(directory);
            _divergences.Clear();
            _divergences.AddRange(checkpoint.Divergences);
            _options.Recorder?.Restart(_records);
            SaveCheckpoint(checkpoint.Epoch, checkpoint.Finished, write: false);
        }

        /// <summary>
        /// False when a weight is not finite or the optimiser state holds NaN, even if the losses came out finite (an
        /// overflowing gradient can poison Adam's moments first): such an epoch is diverged, and its checkpoint would be
        /// one that no resume accepts.
        /// </summary>
        private bool StateIsSound()
        {
            foreach (var p in _model.Parameters)
            {
                if (!TensorPrimitives.IsFiniteAll<float>(p.Value.Span))
                {
                    return false;
                }

                foreach (var state in _optimizer.State(p))
                {
                    if (TensorPrimitives.IsNaNAny<float>(state.Span))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// The checkpoint's epoch must agree with everything else that counts epochs: the run's budget, the pruner's
        /// history and the records (one "train" record per epoch, numbered 1, 2, …), so an edited counter cannot skip
        /// or repeat epochs.
        /// </summary>
        private void CheckCounters(TrainingCheckpoint checkpoint, string file)
        {
            int epoch = checkpoint.Epoch;
            if (epoch > _options.Epochs || (epoch == _options.Epochs && !checkpoint.Finished))
            {
                throw new InvalidDataException($"{file}: its epoch {epoch} does not fit a run of {_options.Epochs} epochs.");
            }

            if (_options.PruneEvery is not null)
            {
                CheckDecisionCounters(checkpoint, file);
                return;
            }

            if (checkpoint.Pruner.Epoch != epoch)
            {
                throw new InvalidDataException($"{file}: its epoch {epoch} disagrees with the pruner's history of {checkpoint.Pruner.Epoch} epochs.");
            }

            int trained = 0;
            foreach (var record in checkpoint.Records)
            {
                if (record.Stage == "train" && record.Epoch != ++trained)
                {
                    throw new InvalidDataException($"{file}: its records number epoch {record.Epoch} where epoch {trained} belongs.");
                }
            }

            if (trained != epoch)
            {
                throw new InvalidDataException($"{file}: its epoch {epoch} disagrees with its {trained} epoch records.");
            }
        }

        /// <summary>
        /// Under a step cadence: one "decision" record per decision point the pruner has passed, each at the step the
        /// cadence puts it and within the checkpoint's epochs.
        /// </summary>
        private void CheckDecisionCounters(TrainingCheckpoint checkpoint, string file)
        {
            int every = _options.PruneEvery ?? 1;
            int decisions = 0;
            foreach (var record in checkpoint.Records)
            {
                if (record.Stage == "decision" && (record.Step != (long)every * ++decisions || record.Epoch > checkpoint.Epoch))
                {
                    throw new InvalidDataException($"{file}: its decision record at step {record.Step} is not decision point {decisions} of a cadence of {every} steps.");
                }
            }

            if (checkpoint.Pruner.Epoch != decisions || (long)decisions * every > (long)checkpoint.Epoch * _batches)
            {
                throw new InvalidDataException($"{file}: its pruner's {checkpoint.Pruner.Epoch} decision points disagree with its {decisions} decision records after epoch {checkpoint.Epoch}.");
            }
        }

        /// <summary>Undoes a diverged epoch: restores the last good one and halves the learning rate; returns the restored epoch.</summary>
        private int RecoverFromDivergence(int epoch, double trainLoss, double holdoutLoss)
        {
            float learningRate = _optimizer.BaseLearningRate / 2;
            Restore(_lastGood, "the last good epoch");

            // A step cadence may have recorded decision points of the diverged epoch already.
            if (_options.PruneEvery is not null)
            {
                _options.Recorder?.Restart(_records);
            }

            _optimizer.BaseLearningRate = learningRate;
            _divergences.Add(new DivergenceEvent
            {
                Epoch = epoch,
                TrainLoss = trainLoss,
                HoldoutLoss = holdoutLoss,
                RestoredEpoch = _lastGood.Epoch,
                LearningRate = learningRate,
            });
            if (_divergences.Count >= _options.DivergenceLimit)
            {
                throw new TrainingDivergedException([.. _divergences]);
            }

            return _lastGood.Epoch;
        }

        /// <summary>Keeps the state after <paramref name="epoch"/> as the last good one and, if asked, writes it to disk.</summary>
        private void SaveCheckpoint(int epoch, bool finished, bool write = true)
        {
            var c = _lastGood;
            c.CaptureModel(_model, _optimizer, _pruner);
            c.Epoch = epoch;
            c.Finished = finished;
            c.StoppedEarly = _stoppedEarly;
            c.ShuffleState = _shuffle.State;
            c.Order = c.Order.Length == _order.Length ? c.Order : new int[_order.Length];
            _order.CopyTo(c.Order, 0);
            c.Records.Clear();
            c.Records.AddRange(_records);
            c.Divergences.Clear();
            c.Divergences.AddRange(_divergences);
            _finished = finished;
            if (write && _options.CheckpointDirectory is string directory)
            {
                CheckpointFile.Write(Checkpoint.PathIn(directory), c, _options, ParameterNames());
            }
        }

        /// <summary>
        /// Stopped (cancelled) after <paramref name="batches"/> steps of the epoch after the last good one: writes the last good
        /// checkpoint with the state after those steps, so a resume continues from this step rather than the epoch's start.
        /// </summary>
        private void SaveInterruptedEpoch(int batches, double lossSum, double seconds)
        {
            // Under a step cadence the pruner's state changes within an epoch, so checkpoints stay at epoch ends.
            if (batches == 0 || _options.PruneEvery is not null || _options.CheckpointDirectory is not string directory)
            {
                return;
            }

            var step = new StepCheckpoint { Batches = batches, LossSum = lossSum, Seconds = seconds };
            step.State.CaptureModel(_model, _optimizer, _pruner);
            _lastGood.Step = step;
            try
            {
                CheckpointFile.Write(Checkpoint.PathIn(directory), _lastGood, _options, ParameterNames());
            }
            finally
            {
                _lastGood.Step = null;
            }
        }

        private string[] ParameterNames()
        {
            var names = new string[_model.Parameters.Count];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = _model.Parameters[i].Name;
            }

            return names;
        }

        private void Restore(TrainingCheckpoint checkpoint, string source)
        {
            checkpoint.RestoreModel(_model, _optimizer, _pruner, source);
            _shuffle = new SplitMix64(checkpoint.ShuffleState);
            checkpoint.Order.CopyTo(_order, 0);
            _records.Clear();
            _records.AddRange(checkpoint.Records);
            _stoppedEarly = checkpoint.StoppedEarly;
            _finished = checkpoint.Finished;
        }

        /// <summary>Picks <paramref name="size"/> of <paramref name="holdout"/> at random with <paramref name="seed"/> (all of it when null or not smaller).</summary>
        private static int[] Subsample(int[] holdout, int? size, int seed)
        {
            if (size is not int k || k >= holdout.Length)
            {
                return holdout;
            }

            int[] picked = [.. holdout];
            new Random(seed).Shuffle(picked);
            return picked[..k];
        }

        private static bool IsPermutationOf(int[] candidate, int[] order)
        {
            if (candidate.Length != order.Length)
            {
                return false;
            }

            int[] a = [.. candidate];
            int[] b = [.. order];
            Array.Sort(a);
            Array.Sort(b);
            return a.AsSpan().SequenceEqual(b);
        }

        public RunSummary Finish()
        {
            _pruner.RestoreBest();
            int bestRecord = _pruner.BestCandidate;
            if (bestRecord < 0)
            {
                throw new InvalidOperationException("No epoch produced a finite held-out loss; the run diverged.");
            }

            _records[bestRecord] = _records[bestRecord] with { Selected = true };
            var best = _records[bestRecord];
            double seconds = 0;
            long flopsDense = 0, flopsSparse = 0;
            foreach (var r in _records)
            {
                seconds += r.TrainSeconds;
                flopsDense += r.TrainFlopsDense;
                flopsSparse += r.TrainFlopsSparse;
            }

            var summary = new RunSummary
            {
                Method = Method,
                Criterion = _options.Criterion.Name,
                Seed = _options.Seed,
                Epochs = [.. _records],
                Best = best,
                SelectedEpoch = best.Epoch,
                TotalParams = _totalParams,
                TrainExamples = _order.Length,
                HoldoutExamples = _holdout.Length,
                HoldoutSplit = _holdoutDescription,
                TotalTrainSeconds = seconds,
                TotalTrainFlopsDense = flopsDense,
                TotalTrainFlopsSparse = flopsSparse,
                InferenceFlops = FlopCount.Inference(_model, liveOnly: true),
                InferenceFlopsDense = FlopCount.Inference(_model, liveOnly: false),
                StoppedEarly = _stoppedEarly,
                Divergences = [.. _divergences],
                Task = _train.Task,
                Loss = _regression ? _regressionLoss.Name : null,
            };
            _options.Recorder?.RecordSummary(summary);
            return summary;
        }

        /// <summary>The training since the last decision point: its loss sum, examples, start and MACs (fixed until a cut).</summary>
        private struct Stretch(Layer model)
        {
            public readonly long MacsDense = model.MultiplyAccumulates(liveOnly: false);
            public readonly long MacsLive = model.MultiplyAccumulates(liveOnly: true);
            public readonly long Started = Stopwatch.GetTimestamp();

            public double LossSum { get; private set; }

            public int Examples { get; private set; }

            public void Add(double loss, int examples)
            {
                LossSum += loss;
                Examples += examples;
            }
        }

        private void Add(EpochRecord record)
        {
            _records.Add(record);
            _options.Recorder?.RecordEpoch(record);
        }

        /// <summary>
        /// The pruner's held-out loss: evaluates the model as it is and keeps the record of what it measured (the test
        /// figures and sizes too, before any cut). An epoch whose weights or optimiser state are not sound counts as
        /// diverged (NaN), since its checkpoint would be one that no resume accepts.
        /// </summary>
        private Evaluation EvaluateHoldout()
        {
            var holdout = _evaluator.Evaluate(_model, _train, _judged, keepExampleLosses: true);
            bool sound = double.IsFinite(holdout.Loss) && StateIsSound();
            var measured = sound ? Measure() : new EpochRecord();
            _evaluated.Add(measured with
            {
                HoldoutLoss = holdout.Loss,
                HoldoutLossStderr = holdout.StandardError,
                HoldoutAccuracy = holdout.Accuracy,
                HoldoutRmse = holdout.Regression?.Rmse,
                HoldoutR2 = holdout.Regression?.R2,
                LearningRate = _optimizer.CurrentLearningRate,
            });
            return sound ? holdout : holdout with { Loss = double.NaN };
        }

        /// <summary>Test figures and sizes of the model as it is now (before this epoch's pruning).</summary>
        private EpochRecord Measure()
        {
            Evaluation? test = _test is null ? null : _evaluator.Evaluate(_model, _test);
            long nonzero = 0;
            foreach (var p in _model.Parameters)
            {
                nonzero += p.CountNonzero();
            }

            var masks = _pruner.Masks;
            return new EpochRecord
            {
                TestLoss = test?.Loss,
                TestAccuracy = _regression ? null : test?.Accuracy,
                TestMse = test?.Regression?.Mse,
                TestRmse = test?.Regression?.Rmse,
                TestMae = test?.Regression?.Mae,
                TestR2 = test?.Regression?.R2,
                Task = _train.Task,
                NonzeroParams = nonzero,
                TotalParams = _totalParams,
                Density = _totalParams == 0 ? 1 : (double)nonzero / _totalParams,
                PrunableNonzeroParams = masks.TotalAlive,
                PrunableParams = masks.TotalPrunable,
                PrunableDensity = masks.Density,
            };
        }
    }
}
