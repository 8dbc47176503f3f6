using System.Diagnostics;
using Occam.Kernels;
using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Tensors;

namespace Occam.Benchmarks;

/// <summary>
/// What pruning buys in wall time (issue 6, <c>occam bench sparse</c>): the dense reference model 784 → 1024 ReLU →
/// dropout 0.2 → 10, magnitude-pruned at initialisation to each density (per layer), trained with Adam on synthetic
/// data exactly as the trainer does (forward, loss, backward, optimiser step, masks re-applied) and run for inference.
/// The layers choose their kernels automatically, as in any run, unless <see cref="SparseBenchmarkOptions.Kernels"/>
/// forces one path.
/// </summary>
/// <remarks>
/// After an untimed warm-up, every training step and inference batch is timed on its own; the epoch time is the median
/// step time over all rounds times the number of mini-batches in <see cref="SparseBenchmarkOptions.EpochExamples"/>
/// examples. Rounds alternate the densities so that a shared machine's load falls on all of them alike; compare ratios
/// rather than absolute times.
/// </remarks>
public static class SparseBenchmark
{
    /// <summary>Inputs of the reference model (28 × 28 images, flattened).</summary>
    public const int Inputs = 784;

    /// <summary>Hidden units of the reference model.</summary>
    public const int Hidden = 1024;

    /// <summary>Classes of the reference model.</summary>
    public const int Classes = 10;

    /// <summary>Examples of synthetic data the benchmark draws its batches from (the largest batch it takes).</summary>
    public const int SyntheticExamples = 2048;

    /// <summary>The reference model, built with <paramref name="seed"/>.</summary>
    public static Sequential CreateModel(int seed) =>
        Sequential.Create([Inputs], seed, new Dense(Hidden), new ReLU(), new Dropout(0.2f, seed), new Dense(Classes));

    /// <summary>Measures every density of <paramref name="options"/> (null: the defaults); one row per density, in order.</summary>
    public static IReadOnlyList<SparseBenchmarkRow> Run(SparseBenchmarkOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new SparseBenchmarkOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(o.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.TimedSteps, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.InferenceBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(o.BatchSize, SyntheticExamples, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(o.InferenceBatchSize, SyntheticExamples, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.InferenceBatches, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Rounds, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(o.WarmupSteps, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(o.WarmupBatches, nameof(options));
        foreach (double density in o.Densities)
        {
            if (!(density >= 0 && density <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(options), density, "Densities must lie in [0, 1].");
            }
        }

        var random = new Random(o.Seed);
        var features = new float[SyntheticExamples * Inputs];
        var labels = new int[SyntheticExamples];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(Classes);
        }

        var runs = new List<DensityRun>();
        foreach (double density in o.Densities)
        {
            runs.Add(new DensityRun(density, o));
        }

        var stepSeconds = runs.Select(_ => new List<double>()).ToArray();
        var inferenceSeconds = runs.Select(_ => new List<double>()).ToArray();
        var discarded = new List<double>();
        for (int d = 0; d < runs.Count; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // At least one untimed step and batch: the sparse copy and the optimiser's compact state are built there.
            runs[d].Train(features, labels, Math.Max(1, o.WarmupSteps), discarded);
            runs[d].Infer(features, Math.Max(1, o.WarmupBatches), discarded);
        }

        for (int round = 0; round < o.Rounds; round++)
        {
            for (int d = 0; d < runs.Count; d++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                runs[d].Train(features, labels, o.TimedSteps, stepSeconds[d]);
                runs[d].Infer(features, o.InferenceBatches, inferenceSeconds[d]);
            }
        }

        long stepsPerEpoch = (o.EpochExamples + o.BatchSize - 1) / o.BatchSize;
        var rows = new List<SparseBenchmarkRow>();
        for (int d = 0; d < runs.Count; d++)
        {
            var hidden = (ISparseKernelLayer)runs[d].Hidden;
            rows.Add(new SparseBenchmarkRow(
                runs[d].Density,
                Median(stepSeconds[d]) * stepsPerEpoch,
                o.InferenceBatchSize / Median(inferenceSeconds[d]),
                runs[d].TrainingRanSparse,
                runs[d].InferenceRanSparse,
                Simd.IsaName,
                KernelCalibration.Find(hidden, o.BatchSize, training: true)?.Crossover,
                KernelCalibration.Find(hidden, o.InferenceBatchSize, training: false)?.Crossover));
        }

        return rows;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    /// <summary>One pruned model with its optimiser, masks and batch buffers.</summary>
    private sealed class DensityRun
    {
        private readonly Sequential _model;
        private readonly Adam _optimizer;
        private readonly PruningMasks _masks;
        private readonly SoftmaxCrossEntropy _loss = new();
        private readonly Tensor _input;
        private readonly Tensor _inferenceInput;
        private readonly int[] _labels;
        private int _next;

        public DensityRun(double density, SparseBenchmarkOptions options)
        {
            Density = density;
            _model = CreateModel(options.Seed);
            _model.ComputeInputGradient = false;
            // The 1024 → 10 output layer stays automatic: forcing it would time a path no run takes.
            Hidden.KernelPath = options.Kernels;

            _masks = new PruningMasks(_model.Parameters);
            _masks.PruneToDensity(new MagnitudeCriterion(), density);
            _optimizer = new Adam(_model.Parameters);
            _masks.Attach(_optimizer);
            _input = new Tensor(options.BatchSize, Inputs);
            _inferenceInput = new Tensor(options.InferenceBatchSize, Inputs);
            _labels = new int[options.BatchSize];
        }

        public double Density { get; }

        /// <summary>The 784 → 1024 layer, whose kernels the rows report.</summary>
        public Dense Hidden => (Dense)_model.Layers[0];

        public bool TrainingRanSparse { get; private set; }

        public bool InferenceRanSparse { get; private set; }

        /// <summary>Runs <paramref name="steps"/> training steps, adding the seconds each took to <paramref name="seconds"/>.</summary>
        public void Train(float[] features, int[] labels, int steps, List<double> seconds)
        {
            int batch = _input.Batch;
            for (int s = 0; s < steps; s++)
            {
                long started = Stopwatch.GetTimestamp();
                int start = NextStart(batch);
                features.AsSpan(start * Inputs, batch * Inputs).CopyTo(_input.Span);
                labels.AsSpan(start, batch).CopyTo(_labels);
                var logits = _model.Forward(_input, training: true);
                _loss.Forward(logits, _labels);
                _model.Backward(_loss.Backward());
                _optimizer.Step();
                _masks.ApplyAfterStep();
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            TrainingRanSparse = Hidden.RanSparse;
        }

        /// <summary>Runs <paramref name="batches"/> inference batches, adding the seconds each took to <paramref name="seconds"/>.</summary>
        public void Infer(float[] features, int batches, List<double> seconds)
        {
            int batch = _inferenceInput.Batch;
            for (int b = 0; b < batches; b++)
            {
                // Only the forward pass is timed: loading a batch is the caller's cost (CSV parsing, in occam predict).
                int start = NextStart(batch);
                features.AsSpan(start * Inputs, batch * Inputs).CopyTo(_inferenceInput.Span);
                long started = Stopwatch.GetTimestamp();
                _model.Forward(_inferenceInput, training: false);
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            InferenceRanSparse = Hidden.RanSparse;
        }

        private int NextStart(int batch)
        {
            if (_next + batch > SyntheticExamples)
            {
                _next = 0;
            }

            int start = _next;
            _next += batch;
            return start;
        }
    }
}
