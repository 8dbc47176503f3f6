using Occam.Layers;
using Occam.Losses;
using Occam.Optimizers;
using Occam.Tensors;

namespace Occam.Tests.Support;

/// <summary>A minimal full-batch training loop for the over-fitting and determinism tests.</summary>
public static class TinyTraining
{
    /// <summary>One step: forward, loss, backward, optimiser update. Returns the loss before the update.</summary>
    public static float Step(Layer model, Optimizer optimizer, SoftmaxCrossEntropy loss, Tensor inputs, int[] labels)
    {
        var logits = model.Forward(inputs, training: true);
        float value = loss.Forward(logits, labels);
        model.Backward(loss.Backward());
        optimizer.Step();
        return value;
    }

    /// <summary>
    /// Trains until the loss drops below <paramref name="target"/> or <paramref name="maxSteps"/> have run;
    /// returns the number of steps taken and the last loss seen.
    /// </summary>
    public static (int Steps, float Loss) TrainUntil(Layer model, Optimizer optimizer, Tensor inputs, int[] labels,
        float target, int maxSteps)
    {
        var loss = new SoftmaxCrossEntropy();
        float value = float.NaN;
        for (int step = 0; step < maxSteps; step++)
        {
            value = Step(model, optimizer, loss, inputs, labels);
            if (value < target)
            {
                return (step, value);
            }
        }

        return (maxSteps, value);
    }
}
