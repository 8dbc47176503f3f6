using Occam.Data;
using Occam.Pruning;
using Occam.Training;

namespace Occam.Benchmarks;

/// <summary>
/// The network runs of one data set and seed in <see cref="TabularBenchmark"/>: one method at a time, each training a
/// freshly initialised MLP with the same split, initialisation, held-out split and batch order. A method that starts
/// from another's result ("posthoc" from "dense" and "occam", "gmp" from "occam") trains that one first, once, so a
/// single method can run alone (one cell of a sweep) and give the figures it gives beside the others.
/// </summary>
public sealed class TabularSeedRuns
{
    private readonly TabularBenchmarkOptions _options;
    private readonly int _seed;
    private readonly CancellationToken _cancellationToken;
    private readonly TabularData _data;
    private readonly TrainerOptions _trainer;
    private readonly Dictionary<string, TabularSeedResult> _results = new(StringComparer.Ordinal);
    private readonly ParameterSnapshot _denseWeights = new();
    private RunSummary? _dense;
    private RunSummary? _occam;

    /// <summary>Splits <paramref name="table"/> for <paramref name="seed"/> (<see cref="TabularBenchmark.SplitOptions"/>).</summary>
    public TabularSeedRuns(CsvTable table, TabularBenchmarkOptions options, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _seed = seed;
        _cancellationToken = cancellationToken;
        _data = TabularLoader.FromTable(table, TabularBenchmark.SplitOptions(options, seed));
        _trainer = new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Seed = seed,
            HoldoutFraction = options.HoldoutFraction,
            LearningRate = options.LearningRate,
        };
    }

    /// <summary>Model input features after preprocessing.</summary>
    public int Features => _data.Train.ExampleShape[0];

    /// <summary>Classes (1 for regression: one output).</summary>
    public int Classes => _data.Train.ClassCount;

    /// <summary>
    /// The figures of <paramref name="method"/> (a <see cref="PruningMethods"/> name, "posthoc" or "posthoc-finetune"),
    /// training it (and what it starts from) unless this seed already did. On a seed where "occam" kept every weight,
    /// the methods that prune to its density give the dense run's figures, marked <see cref="TabularSeedResult.SameAsDense"/>
    /// ("gmp" only when the options' methods include "dense").
    /// </summary>
    public TabularSeedResult Run(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!_results.TryGetValue(method, out var result))
        {
            result = Train(method);
            _results[method] = result;
        }

        return result;
    }

    private TabularSeedResult Train(string method)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        bool prunesToOccam = method == PruningMethods.Gmp.Name || TabularBenchmark.PostTrainingMethods.Contains(method);
        if (prunesToOccam)
        {
            Run(PruningMethods.Occam.Name);
            if (Comparison.KeptEveryWeight(_occam!) && (method != PruningMethods.Gmp.Name || _options.Methods.Contains(PruningMethods.Dense.Name)))
            {
                return Run(PruningMethods.Dense.Name) with { Method = TabularBenchmark.ResultKey(method), SameAsDense = true };
            }
        }

        var model = TabularBenchmark.CreateModel(Features, Classes, _options.HiddenUnits, _seed, _options.Kernels);
        RunSummary summary;
        if (TabularBenchmark.PostTrainingMethods.Contains(method))
        {
            Run(PruningMethods.Dense.Name);
            summary = Comparison.PostTraining(model, _denseWeights, _dense!, _occam!.Best.PrunableDensity, _trainer, PruningMethods.Find(method),
                _data.Train, null, _cancellationToken);
        }
        else
        {
            var schedule = method == PruningMethods.Gmp.Name
                ? PruningMethods.Gmp.CreateSchedule(_options.MethodOptions with { TargetDensity = _occam!.Best.PrunableDensity })
                : _options.ScheduleFactory?.Invoke(method) ?? PruningMethods.Find(method).CreateSchedule(_options.MethodOptions);
            summary = new Trainer(_trainer with { Schedule = schedule, Method = method }).Run(model, _data.Train, null, _cancellationToken);
            if (method == PruningMethods.Dense.Name)
            {
                _dense = summary;
                _denseWeights.Capture(model.Parameters, summary.SelectedEpoch);
            }
            else if (method == PruningMethods.Occam.Name)
            {
                _occam = summary;
            }
        }

        return TabularBenchmark.Score(method, _seed, model, summary, _data.Test);
    }
}
