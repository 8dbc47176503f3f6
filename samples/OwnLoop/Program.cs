using Occam.Data;
using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;

// Occam Gradient Descent in a loop of your own, on the built-in 8×8 digits: the pruner judges each epoch on the
// held-out rows, cuts, undoes and selects as `occam train` does, and keeps the model it selects.
var data = Digits.Load(flatten: true);
var (train, holdout) = Splits.Stratified(data.Labels, fraction: 0.1, seed: 1);
var model = Sequential.Create(data.ExampleShape, seed: 1, new Dense(128), new ReLU(), new Dense(data.ClassCount));
var pruner = new Pruner(model, new Adam(model.Parameters), data, holdout, totalEpochs: 40);
var loss = new SoftmaxCrossEntropy();
for (int epoch = 1; epoch <= 40; epoch++)
{
    foreach (int[] rows in train.Chunk(32))
    {
        var batch = data.Subset(rows);
        loss.Forward(model.Forward(batch.Features, training: true), batch.Labels);
        model.Backward(loss.Backward());
        pruner.Step();                      // the optimiser's step; pruned weights and their state stay zero
    }

    pruner.EndEpoch();                      // held-out loss, then select, cut, undo as the method says
}

pruner.RestoreBest();                       // the selected model
Console.WriteLine($"density {pruner.Masks.Density:F3}, held-out loss {pruner.BestHoldoutLoss:F4}");
