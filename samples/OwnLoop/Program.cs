using Occam.Data;
using Occam.Layers;
using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Pruning;
using Occam.Training;

// Occam Gradient Descent in a loop of your own, on the built-in 8×8 digits: the pruner cuts between epochs as the
// held-out loss allows and keeps the model it selects.
var data = Digits.Load(flatten: true);
var (train, holdout) = Splits.Stratified(data.Labels, fraction: 0.1, seed: 1);
var model = Sequential.Create(data.ExampleShape, seed: 1, new Dense(128), new ReLU(), new Dense(data.ClassCount));
var optimizer = new Adam(model.Parameters);
var pruner = new Pruner(model.Parameters, optimizer, totalEpochs: 40, holdoutExamples: holdout.Length);
var loss = new SoftmaxCrossEntropy();
var evaluator = new Evaluator();
for (int epoch = 1; epoch <= 40; epoch++)
{
    foreach (int[] rows in train.Chunk(32))
    {
        var batch = data.Subset(rows);
        loss.Forward(model.Forward(batch.Features, training: true), batch.Labels);
        model.Backward(loss.Backward());
        optimizer.Step();
        pruner.AfterStep();                 // pruned weights and their optimiser state stay zero
    }

    var heldOut = evaluator.Evaluate(model, data, holdout);
    pruner.EndEpoch(heldOut.Loss, heldOut.StandardError);   // the schedule decides and cuts
}

pruner.RestoreBest();                       // the selected snapshot
Console.WriteLine($"density {pruner.Masks.Density:F3}, held-out loss {evaluator.Evaluate(model, data, holdout).Loss:F4}");
