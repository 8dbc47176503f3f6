using System.Text.Json;
using Occam.Pruning;
using Occam.Serialization;
using Occam.Tensors;

namespace Occam.Training.Checkpoints;

/// <summary>
/// Writes a <see cref="TrainingCheckpoint"/> as one safetensors file (so one atomic rename publishes all of it):
/// tensors "model/NAME", "model/NAME.mask", "optimizer/NAME/J", "best/NAME[.mask]", "rewind/NAME[.mask]", and metadata
/// "format", "state" (JSON of everything else), "options" (the run's settings) and "metadata" (the caller's strings).
/// Reading validates everything and throws <see cref="InvalidDataException"/> with a one-line message naming the file.
/// </summary>
internal static class CheckpointFile
{
    public const string Format = "occam-checkpoint-1";

    private const string SelectedLossesName = "paired/selected";
    private const string LowestLossesName = "paired/lowest";
    private const string MaskSuffix = ".mask";

    public static void Write(string path, TrainingCheckpoint checkpoint, TrainerOptions options, IReadOnlyList<string> parameterNames)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var parameters = new CheckpointParameter[parameterNames.Count];

        // Stopped inside an epoch, the state there may hold crossovers first used after the epoch's checkpoint.
        var crossovers = (checkpoint.Step?.State ?? checkpoint).KernelCrossovers;
        for (int i = 0; i < parameterNames.Count; i++)
        {
            string name = parameterNames[i];
            parameters[i] = new CheckpointParameter
            {
                Name = name,
                Masked = checkpoint.Masks[i] is not null,
                OptimizerTensors = checkpoint.OptimizerState[i].Length,
                KernelCrossovers = i < crossovers.Length ? crossovers[i] : null,
            };
            Add(tensors, "model/" + name, checkpoint.Weights[i], checkpoint.Masks[i]);
            for (int j = 0; j < checkpoint.OptimizerState[i].Length; j++)
            {
                tensors.Add(new($"optimizer/{name}/{j}", Tensor.From(checkpoint.OptimizerState[i][j], checkpoint.OptimizerState[i][j].Length)));
            }
        }

        if (checkpoint.Step is { } step)
        {
            for (int i = 0; i < parameterNames.Count; i++)
            {
                string name = parameterNames[i];
                tensors.Add(new("step/model/" + name, Tensor.From(step.State.Weights[i], step.State.Weights[i].Length)));
                for (int j = 0; j < step.State.OptimizerState[i].Length; j++)
                {
                    tensors.Add(new($"step/optimizer/{name}/{j}", Tensor.From(step.State.OptimizerState[i][j], step.State.OptimizerState[i][j].Length)));
                }
            }
        }

        var pruner = checkpoint.Pruner;
        AddSnapshot(tensors, "best/", pruner.Best, parameterNames);
        AddSnapshot(tensors, "rewind/", pruner.RewindPoint, parameterNames);
        AddLosses(tensors, SelectedLossesName, pruner.SelectedLosses);
        AddLosses(tensors, LowestLossesName, pruner.LowestLosses);
        var document = new CheckpointDocument
        {
            Epoch = checkpoint.Epoch,
            Finished = checkpoint.Finished,
            StoppedEarly = checkpoint.StoppedEarly,
            ShuffleState = checkpoint.ShuffleState,
            Order = checkpoint.Order,
            DropoutStates = checkpoint.DropoutStates,
            Parameters = parameters,
            OptimizerSteps = checkpoint.OptimizerSteps,
            BaseLearningRate = checkpoint.BaseLearningRate,
            Pruner = new CheckpointPruner
            {
                Epoch = pruner.Epoch,
                Losses = [.. pruner.Losses],
                StandardErrors = [.. pruner.StandardErrors],
                PairedWithSelected = Pairs(pruner.PairedWithSelected),
                PairedWithLowest = Pairs(pruner.PairedWithLowest),
                LowestLoss = pruner.LowestLoss,
                BestHoldoutLoss = pruner.BestHoldoutLoss,
                BestEpoch = pruner.Best.HasValue ? pruner.Best.Epoch : null,
                RewindEpoch = pruner.RewindPoint.HasValue ? pruner.RewindPoint.Epoch : null,
            },
            Records = [.. checkpoint.Records],
            BestRecord = pruner.BestCandidate,
            Divergences = [.. checkpoint.Divergences],
            Step = checkpoint.Step is { } stopped
                ? new CheckpointStep
                {
                    Batches = stopped.Batches,
                    LossSum = stopped.LossSum,
                    Seconds = stopped.Seconds,
                    OptimizerSteps = stopped.State.OptimizerSteps,
                    DropoutStates = stopped.State.DropoutStates,
                }
                : null,
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["state"] = JsonSerializer.Serialize(document, RunJson.Compact),
            ["options"] = JsonSerializer.Serialize(CheckpointRunOptions.From(options), RunJson.Compact),
            ["metadata"] = JsonSerializer.Serialize(options.CheckpointMetadata ?? new Dictionary<string, string>(), RunJson.Compact),
        };
        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Reads and validates a checkpoint; returns it with the run options and caller metadata it was written with.</summary>
    public static (TrainingCheckpoint Checkpoint, string[] ParameterNames, CheckpointRunOptions Options, Dictionary<string, string> Metadata) Read(string path)
    {
        string file = Path.GetFileName(path);
        var (tensors, metadata) = SafeTensors.Read(path);
        if (!metadata.TryGetValue("format", out string? format) || format != Format)
        {
            throw Bad(file, "not an Occam checkpoint (no or unknown \"format\" metadata)");
        }

        var document = Parse<CheckpointDocument>(file, metadata, "state");
        var options = Parse<CheckpointRunOptions>(file, metadata, "options");
        var userMetadata = Parse<Dictionary<string, string>>(file, metadata, "metadata");
        var parameters = document.Parameters ?? throw Bad(file, "the state lists no parameters");
        var pruner = document.Pruner ?? throw Bad(file, "the state has no pruner section");
        if (document.Epoch < 0 || document.OptimizerSteps < 0 || !(float.IsFinite(document.BaseLearningRate) && document.BaseLearningRate > 0))
        {
            throw Bad(file, "the epoch, step count or learning rate is out of range");
        }

        var checkpoint = new TrainingCheckpoint
        {
            Epoch = document.Epoch,
            Finished = document.Finished,
            StoppedEarly = document.StoppedEarly,
            ShuffleState = document.ShuffleState,
            Order = document.Order ?? throw Bad(file, "the state has no batch order"),
            DropoutStates = document.DropoutStates ?? [],
            OptimizerSteps = document.OptimizerSteps,
            BaseLearningRate = document.BaseLearningRate,
            Weights = new float[parameters.Length][],
            Masks = new float[parameters.Length][],
            OptimizerState = new float[parameters.Length][][],
            KernelCrossovers = new CheckpointCrossover[parameters.Length][],
        };
        foreach (int index in checkpoint.Order)
        {
            if (index < 0)
            {
                throw Bad(file, "the batch order holds a negative index");
            }
        }

        string[] names = new string[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var entry = parameters[i] ?? throw Bad(file, "a parameter entry is null");
            string name = entry.Name ?? throw Bad(file, "a parameter has no name");
            names[i] = name;
            checkpoint.Weights[i] = Finite(file, tensors, "model/" + name);
            int length = checkpoint.Weights[i].Length;
            checkpoint.Masks[i] = entry.Masked ? Mask(file, tensors, $"model/{name}{MaskSuffix}", checkpoint.Weights[i]) : null;
            if (entry.OptimizerTensors < 0 || entry.OptimizerTensors > tensors.Count)
            {
                throw Bad(file, $"parameter '{name}' claims {entry.OptimizerTensors} optimiser tensors");
            }

            checkpoint.OptimizerState[i] = new float[entry.OptimizerTensors][];
            for (int j = 0; j < entry.OptimizerTensors; j++)
            {
                checkpoint.OptimizerState[i][j] = NotNaN(file, tensors, $"optimizer/{name}/{j}", length);
            }

            checkpoint.KernelCrossovers[i] = Crossovers(file, name, entry.KernelCrossovers);
        }

        ReadPruner(file, tensors, pruner, names, checkpoint);
        var records = document.Records ?? throw Bad(file, "the state has no records");
        foreach (var record in records)
        {
            checkpoint.Records.Add(record ?? throw Bad(file, "a record is null"));
        }

        if (document.BestRecord < -1 || document.BestRecord >= records.Length)
        {
            throw Bad(file, $"the best record {document.BestRecord} is not one of its {records.Length} records");
        }

        // The selected record and the pruner's best snapshot are set and cleared together, at the same epoch; a run
        // resumed with one but not the other could end with nothing selected.
        int? bestEpoch = checkpoint.Pruner.Best.HasValue ? checkpoint.Pruner.Best.Epoch : null;
        // Under a step cadence (records with a step) the pruner counts decision points, not epochs.
        int? recordEpoch = document.BestRecord < 0 ? null
            : records[document.BestRecord].Step is null ? records[document.BestRecord].Epoch
            : records.Take(document.BestRecord + 1).Count(r => r.Stage == "decision");
        if (bestEpoch != recordEpoch)
        {
            throw Bad(file, $"its best record (epoch {recordEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) disagrees with the best snapshot (epoch {bestEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})");
        }

        checkpoint.Pruner.BestCandidate = document.BestRecord;

        // A run records every candidate the pruner judged, so the records count them.
        checkpoint.Pruner.Candidates = records.Length;
        foreach (var divergence in document.Divergences ?? [])
        {
            checkpoint.Divergences.Add(divergence ?? throw Bad(file, "a divergence event is null"));
        }

        if (document.Step is { } step)
        {
            checkpoint.Step = ReadStep(file, tensors, step, names, checkpoint);
        }

        return (checkpoint, names, options, userMetadata);
    }

    /// <summary>The state inside an interrupted epoch: its tensors as the epoch's own are checked (sizes, finite, masks).</summary>
    private static StepCheckpoint ReadStep(string file, Dictionary<string, Tensor> tensors, CheckpointStep step, string[] names, TrainingCheckpoint checkpoint)
    {
        if (checkpoint.Finished || step.Batches < 1 || !(double.IsFinite(step.LossSum) && step.LossSum >= 0)
            || !(double.IsFinite(step.Seconds) && step.Seconds >= 0) || step.OptimizerSteps < checkpoint.OptimizerSteps
            || step.DropoutStates?.Length != checkpoint.DropoutStates.Length)
        {
            throw Bad(file, "its interrupted-epoch state is out of range");
        }

        var stopped = new StepCheckpoint { Batches = step.Batches, LossSum = step.LossSum, Seconds = step.Seconds };
        var state = stopped.State;
        state.Epoch = checkpoint.Epoch;
        state.OptimizerSteps = step.OptimizerSteps;
        state.BaseLearningRate = checkpoint.BaseLearningRate;
        state.DropoutStates = step.DropoutStates;
        state.Weights = new float[names.Length][];
        state.Masks = checkpoint.Masks;
        state.OptimizerState = new float[names.Length][][];
        state.KernelCrossovers = checkpoint.KernelCrossovers;
        for (int i = 0; i < names.Length; i++)
        {
            int length = checkpoint.Weights[i].Length;
            state.Weights[i] = Finite(file, tensors, "step/model/" + names[i], length);
            if (checkpoint.Masks[i] is float[] mask && MaskedValues.CountPrunedNonzero(state.Weights[i], mask) is long alive and > 0)
            {
                throw Bad(file, $"its interrupted-epoch weights of '{names[i]}' hold {alive} non-zero pruned weights");
            }

            state.OptimizerState[i] = new float[checkpoint.OptimizerState[i].Length][];
            for (int j = 0; j < state.OptimizerState[i].Length; j++)
            {
                state.OptimizerState[i][j] = NotNaN(file, tensors, $"step/optimizer/{names[i]}/{j}", length);
            }
        }

        return stopped;
    }

    private static void ReadPruner(string file, Dictionary<string, Tensor> tensors, CheckpointPruner pruner, string[] names, TrainingCheckpoint checkpoint)
    {
        var losses = pruner.Losses ?? throw Bad(file, "the pruner has no loss history");
        var errors = pruner.StandardErrors ?? throw Bad(file, "the pruner has no standard errors");
        if (pruner.Epoch < 0 || losses.Length != pruner.Epoch || errors.Length != pruner.Epoch)
        {
            throw Bad(file, $"the pruner's history ({losses.Length} losses, {errors.Length} errors) does not match its {pruner.Epoch} epochs");
        }

        foreach (double loss in losses)
        {
            if (!double.IsFinite(loss))
            {
                throw Bad(file, "the held-out loss history holds NaN or infinity");
            }
        }

        if (double.IsNaN(pruner.BestHoldoutLoss) || double.IsNegativeInfinity(pruner.BestHoldoutLoss))
        {
            throw Bad(file, "the best held-out loss is NaN or −∞");
        }

        var state = checkpoint.Pruner;
        state.Epoch = pruner.Epoch;
        state.Losses.AddRange(losses);
        state.StandardErrors.AddRange(errors);
        state.BestHoldoutLoss = pruner.BestHoldoutLoss;

        // Checkpoints from before paired comparisons resume without them: a pair needs a reference evaluated after the resume.
        ReadPairs(file, pruner.PairedWithSelected, pruner.Epoch, state.PairedWithSelected);
        ReadPairs(file, pruner.PairedWithLowest, pruner.Epoch, state.PairedWithLowest);
        state.LowestLoss = pruner.LowestLoss ?? pruner.BestHoldoutLoss;
        state.SelectedLosses = tensors.TryGetValue(SelectedLossesName, out var selected) ? selected.Span.ToArray() : [];
        state.LowestLosses = tensors.TryGetValue(LowestLossesName, out var lowest) ? lowest.Span.ToArray() : [];
        ReadSnapshot(file, tensors, "best/", pruner.BestEpoch, names, checkpoint.Weights, state.Best);
        ReadSnapshot(file, tensors, "rewind/", pruner.RewindEpoch, names, checkpoint.Weights, state.RewindPoint);
    }

    private static double[][] Pairs(List<PairedDifference> pairs)
    {
        var values = new double[pairs.Count][];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = [pairs[i].Mean, pairs[i].StandardError];
        }

        return values;
    }

    private static void ReadPairs(string file, double[][]? values, int epochs, List<PairedDifference> pairs)
    {
        if (values is null)
        {
            for (int i = 0; i < epochs; i++)
            {
                pairs.Add(PairedDifference.None);
            }

            return;
        }

        if (values.Length != epochs)
        {
            throw Bad(file, $"the pruner's paired history ({values.Length} entries) does not match its {epochs} epochs");
        }

        foreach (var pair in values)
        {
            pairs.Add(pair is [double mean, double standardError] ? new PairedDifference(mean, standardError) : throw Bad(file, "a paired difference is not [mean, standard error]"));
        }
    }

    private static void AddLosses(List<KeyValuePair<string, Tensor>> tensors, string name, float[] losses)
    {
        if (losses.Length > 0)
        {
            tensors.Add(new(name, Tensor.From(losses, losses.Length)));
        }
    }

    private static void ReadSnapshot(string file, Dictionary<string, Tensor> tensors, string prefix, int? epoch, string[] names, float[][] weights, ParameterSnapshot snapshot)
    {
        if (epoch is not int e)
        {
            return;
        }

        var values = new float[names.Length][];
        var masks = new float[]?[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            values[i] = Finite(file, tensors, prefix + names[i], weights[i].Length);
            masks[i] = tensors.ContainsKey(prefix + names[i] + MaskSuffix) ? Mask(file, tensors, prefix + names[i] + MaskSuffix, values[i]) : null;
        }

        snapshot.Load(values, masks, e);
    }

    private static CheckpointCrossover[]? Crossovers(string file, string name, CheckpointCrossover[]? crossovers)
    {
        foreach (var crossover in crossovers ?? [])
        {
            if (crossover is null || crossover.Rows < 1 || !double.IsFinite(crossover.Crossover))
            {
                throw Bad(file, $"a kernel crossover of '{name}' is out of range");
            }
        }

        return crossovers;
    }

    private static void Add(List<KeyValuePair<string, Tensor>> tensors, string name, float[] values, float[]? mask)
    {
        tensors.Add(new(name, Tensor.From(values, values.Length)));
        if (mask is not null)
        {
            tensors.Add(new(name + MaskSuffix, Tensor.From(mask, mask.Length)));
        }
    }

    private static void AddSnapshot(List<KeyValuePair<string, Tensor>> tensors, string prefix, ParameterSnapshot snapshot, IReadOnlyList<string> names)
    {
        if (!snapshot.HasValue)
        {
            return;
        }

        for (int i = 0; i < names.Count; i++)
        {
            Add(tensors, prefix + names[i], snapshot.Values[i], snapshot.MaskValues[i]);
        }
    }

    private static float[] Finite(string file, Dictionary<string, Tensor> tensors, string name, int length = -1)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw Bad(file, $"tensor '{name}' is missing");
        }

        if (length >= 0 && tensor.Length != length)
        {
            throw Bad(file, $"tensor '{name}' has {tensor.Length} values, expected {length}");
        }

        var values = tensor.Span;
        if (!TensorPrimitives.IsFiniteAll<float>(values))
        {
            throw Bad(file, $"tensor '{name}' holds NaN or infinity");
        }

        return values.ToArray();
    }

    /// <summary>
    /// Optimiser state may hold +∞ (Adam's second moment overflows when a gradient's square does, and its step is then
    /// 0), so only NaN is refused: the writer must never produce a checkpoint the reader rejects.
    /// </summary>
    private static float[] NotNaN(string file, Dictionary<string, Tensor> tensors, string name, int length)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw Bad(file, $"tensor '{name}' is missing");
        }

        if (tensor.Length != length)
        {
            throw Bad(file, $"tensor '{name}' has {tensor.Length} values, expected {length}");
        }

        var values = tensor.Span;
        if (TensorPrimitives.IsNaNAny<float>(values))
        {
            throw Bad(file, $"tensor '{name}' holds NaN");
        }

        return values.ToArray();
    }

    /// <summary>A mask of <paramref name="weights"/>: only 0 and 1, and 0 only where the weight is 0 (a pruned weight always is).</summary>
    private static float[] Mask(string file, Dictionary<string, Tensor> tensors, string name, float[] weights)
    {
        float[] mask = Finite(file, tensors, name, weights.Length);
        foreach (float m in mask)
        {
            if (m != 0f && m != 1f)
            {
                throw Bad(file, $"mask '{name}' holds a value other than 0 or 1");
            }
        }

        if (MaskedValues.CountPrunedNonzero(weights, mask) is long alive and > 0)
        {
            throw Bad(file, $"mask '{name}' marks {alive} weights pruned that are not zero");
        }

        return mask;
    }

    private static T Parse<T>(string file, Dictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out string? json))
        {
            throw Bad(file, $"the \"{key}\" metadata is missing");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, RunJson.Compact) ?? throw Bad(file, $"the \"{key}\" metadata is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw Bad(file, $"the \"{key}\" metadata is malformed ({e.GetType().Name})");
        }
    }

    private static InvalidDataException Bad(string file, string problem) => new($"{file}: {problem}.");
}
