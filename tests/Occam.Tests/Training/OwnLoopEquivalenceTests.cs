using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Training;

namespace Occam.Tests.Training;

public class OwnLoopEquivalenceTests
{
    // The trainer and a loop written with the public Pruner run one algorithm: same seed, same batches, same records,
    // whether decisions come at epoch ends or every few optimiser steps.
    [Theory]
    [InlineData("occam", null)]
    [InlineData("imp", null)]
    [InlineData("posthoc", null)]
    [InlineData("occam", 3)]
    [InlineData("imp", 4)]
    [InlineData("posthoc", 5)]
    public void AHandWrittenLoopWithThePrunerRecordsWhatTheTrainerRecords(string method, int? pruneEvery)
    {
        var train = SyntheticClassification.Create(300, 4, 16, 3, seed: 1, spread: 0.8f);
        // Dense kernels on both sides: which kernels a pruned layer runs is chosen by timing this CPU (and other tests
        // change the process's thread count meanwhile), and sparse and dense kernels round differently.
        static Sequential Model() => Sequential.Create([20], 7, new Dense(32) { KernelPath = KernelPath.Dense }, new ReLU(),
            new Dense(3) { KernelPath = KernelPath.Dense });
        var options = new TrainerOptions
        {
            Epochs = 16,
            Seed = 3,
            LearningRate = 1e-2f,
            Schedule = PruningMethods.Find(method).CreateSchedule(new PruningMethodOptions { RoundEpochs = 2 }),
            PruneEvery = pruneEvery,
        };
        var trained = Model();
        var run = new Trainer(options).Run(trained, train);

        var model = Model();
        model.ComputeInputGradient = false;
        var (fit, holdout, _, _) = new Trainer(options).HoldoutSplitOf(train);
        var order = Trainer.BatchOrder(options.Seed);
        // Under a step cadence the schedule's budget is the run's number of decision points.
        int steps = options.Epochs * ((fit.Length + options.BatchSize - 1) / options.BatchSize);
        var pruner = new Pruner(model, new Adam(model.Parameters, options.LearningRate), train, holdout, options.Schedule,
            totalEpochs: pruneEvery is int every ? steps / every : options.Epochs)
        { PruneEvery = pruneEvery };
        var loss = new SoftmaxCrossEntropy();
        var records = new List<(double HoldoutLoss, double Density, double Rate)>();
        // The record's density is the model's as judged, before the decision's cut.
        void Decide(Func<PruningStep> decide)
        {
            double density = pruner.Masks.Density;
            var step = decide();
            records.Add((step.Holdout.Loss, density, step.Rate));
            if (step.Cut is { } cut)
            {
                records.Add((cut.Loss, pruner.Masks.Density, 0));
            }
        }

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            order.Shuffle(fit);
            foreach (int[] rows in fit.Chunk(options.BatchSize))
            {
                var batch = train.Subset(rows);
                loss.Forward(model.Forward(batch.Features, training: true), batch.Labels);
                model.Backward(loss.Backward());
                if (pruner.Step())
                {
                    Decide(pruner.Decide);
                }
            }

            if (pruneEvery is null)
            {
                Decide(pruner.EndEpoch);
            }
        }

        pruner.RestoreBest();
        Assert.Equal(run.Epochs.Select(e => (e.HoldoutLoss, e.PrunableDensity, e.PruneRate)), records);
        Assert.Contains(run.Epochs, e => e.PrunableDensity < 1);
        Assert.True(run.Epochs[pruner.BestCandidate].Selected);
        if (pruneEvery is null)
        {
            Assert.Equal(run.SelectedEpoch, pruner.BestEpoch);
        }
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            Assert.Equal(trained.Parameters[i].Value.Span.ToArray(), model.Parameters[i].Value.Span.ToArray());
        }
    }
}
