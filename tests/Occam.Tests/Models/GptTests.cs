using Occam.Losses;
using Occam.Models;
using Occam.Optimizers;
using Occam.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Occam.Tests.Models;

public class GptTests
{
    private const int Vocabulary = 11, Context = 6, Layers = 2, Heads = 2, Embedding = 16;

    private static Gpt Tiny(int seed = 1) => Gpt.Create(Vocabulary, Context, Layers, Heads, Embedding, seed);

    // Random sequences of batch × (context + 1) tokens; the inputs are the first context tokens, the labels the next ones.
    // Distinct first tokens make every label predictable from its prefix, so the loss can reach zero.
    private static (Tensor Inputs, int[] Labels) Batch(int batch, int seed)
    {
        var random = new Random(seed);
        var inputs = new Tensor(batch, Context);
        var labels = new int[batch * Context];
        for (int b = 0; b < batch; b++)
        {
            int previous = b;
            for (int t = 0; t < Context; t++)
            {
                inputs.Span[b * Context + t] = previous;
                previous = random.Next(Vocabulary);
                labels[b * Context + t] = previous;
            }
        }

        return (inputs, labels);
    }

    [Fact]
    public void ParametersAreNamedAndFlaggedAsSpecified()
    {
        var model = Tiny();
        var names = model.Parameters.Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(2 + 12 * Layers + 4, names.Count);
        Assert.Equal(["token_embedding.weight", "position_embedding.weight", "blocks.0.ln1.weight"], names.Take(3));
        Assert.Equal(["final_norm.weight", "final_norm.bias", "head.weight", "head.bias"], names.TakeLast(4));
        Assert.Contains("blocks.1.attention.qkv.weight", names);
        Assert.Contains("blocks.1.mlp.proj.bias", names);

        string[] prunable =
        [
            "blocks.0.attention.qkv.weight", "blocks.0.attention.proj.weight", "blocks.0.mlp.fc.weight", "blocks.0.mlp.proj.weight",
            "blocks.1.attention.qkv.weight", "blocks.1.attention.proj.weight", "blocks.1.mlp.fc.weight", "blocks.1.mlp.proj.weight",
            "head.weight",
        ];
        Assert.Equal(prunable, model.Parameters.Where(p => p.IsPrunable).Select(p => p.Name));
        Assert.Equal([Vocabulary, Embedding], model.Parameters[0].Value.Shape.ToArray());
        Assert.Equal([Context, Embedding], model.Parameters[1].Value.Shape.ToArray());
        Assert.Equal([Vocabulary, Embedding], model.Head.Weight.Value.Shape.ToArray());
    }

    [Fact]
    public void OutputsLogitsPerPositionAndCountsMultiplyAccumulates()
    {
        var model = Tiny();
        var (inputs, _) = Batch(3, seed: 2);
        var logits = model.Forward(inputs, training: false);
        Assert.Equal([3, Context, Vocabulary], logits.Shape.ToArray());
        Assert.Equal([Context, Vocabulary], model.OutputShape.ToArray());
        Assert.All(logits.Span.ToArray(), v => Assert.True(float.IsFinite(v)));

        // Per block: qkv 3D², proj D², mlp 8D² per position, plus D·T·(T+1) attention products; head V·D per position.
        long perBlock = (long)Context * 12 * Embedding * Embedding + Embedding * Context * (Context + 1);
        Assert.Equal(Layers * perBlock + (long)Context * Vocabulary * Embedding, model.MultiplyAccumulates(liveOnly: false));
        model.Head.Weight.Value.Span[..Embedding].Clear();
        Assert.Equal(Layers * perBlock + (long)Context * (Vocabulary - 1) * Embedding, model.MultiplyAccumulates(liveOnly: true));
    }

    [Fact]
    public void GradientsOfTheCrossEntropyMatchFiniteDifferences()
    {
        var model = Tiny();
        // Weights a few times larger than GPT-2's 0.02 make the gradients sizeable while keeping curvature moderate.
        foreach (var p in model.Parameters)
        {
            TensorPrimitives.Multiply(p.Value.Span, 3f, p.Value.Span);
        }

        var (inputs, labels) = Batch(2, seed: 3);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(model.Forward(inputs, training: true), labels);
        model.Backward(loss.Backward());
        var analytic = model.Parameters.Select(p => p.Grad.Span.ToArray()).ToList();

        // The mean is taken in double over the per-row losses to keep float rounding out of the difference quotient.
        var rowLosses = new float[labels.Length];
        double Loss()
        {
            loss.Forward(model.Forward(inputs, training: true), labels, rowLosses);
            double sum = 0;
            foreach (float r in rowLosses)
            {
                sum += r;
            }

            return sum / rowLosses.Length;
        }

        var random = new Random(4);
        const float step = 3e-3f;
        int sizeable = 0, sampled = 0;
        for (int k = 0; k < model.Parameters.Count; k++)
        {
            var p = model.Parameters[k];
            for (int s = 0; s < 6; s++)
            {
                int i = random.Next(p.Length);
                float saved = p.Value.Span[i];
                p.Value.Span[i] = saved + step;
                double plus = Loss();
                p.Value.Span[i] = saved - step;
                double minus = Loss();
                p.Value.Span[i] = saved;
                double numeric = (plus - minus) / (2 * step);
                double a = analytic[k][i];
                // The absolute term is the float32 noise floor of the quotient: the forward pass rounds the loss (≈ 2.4)
                // to about 3e-7, and dividing by 2·step = 6e-3 leaves ≈ 5e-5 per evaluation, so tiny gradients get 1e-4.
                Assert.True(Math.Abs(numeric - a) <= 1e-4 + 1e-2 * Math.Abs(numeric),
                    $"{p.Name}[{i}]: analytic {a:G6}, numeric {numeric:G6}");
                sampled++;
                if (Math.Abs(numeric) > 1e-3)
                {
                    sizeable++;
                }
            }
        }

        Assert.True(sizeable * 2 > sampled, $"Only {sizeable} of {sampled} sampled gradients were sizeable.");
    }

    [Fact]
    public void LogitsAtAPositionIgnoreLaterTokens()
    {
        var model = Tiny();
        var (inputs, _) = Batch(1, seed: 5);
        float[] reference = model.Forward(inputs, training: false).Span.ToArray();
        inputs.Span[4] = (inputs.Span[4] + 1) % Vocabulary;
        var y = model.Forward(inputs, training: false).Span;
        Assert.Equal(reference.AsSpan(0, 4 * Vocabulary).ToArray(), y[..(4 * Vocabulary)].ToArray());
        Assert.NotEqual(reference.AsSpan(4 * Vocabulary, Vocabulary).ToArray(), y.Slice(4 * Vocabulary, Vocabulary).ToArray());
    }

    [Fact]
    public void OverfitsATinyFixedBatch()
    {
        var model = Tiny(seed: 7);
        var (inputs, labels) = Batch(4, seed: 8);
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new Adam(model.Parameters, learningRate: 1e-2f);
        float first = loss.Forward(model.Forward(inputs, training: true), labels);
        float last = first;
        int steps = 0;
        while (last >= 0.05f && steps < 200)
        {
            model.Backward(loss.Backward());
            optimizer.Step();
            last = loss.Forward(model.Forward(inputs, training: true), labels);
            steps++;
        }

        Assert.True(first > 2f, $"Initial loss {first} should be near ln {Vocabulary}.");
        Assert.True(last < 0.05f, $"Loss {last} after {steps} steps.");
    }

    [Fact]
    public void SeededRunsGiveBitIdenticalWeights()
    {
        static List<float[]> Run()
        {
            var model = Tiny(seed: 11);
            var (inputs, labels) = Batch(3, seed: 12);
            var loss = new SoftmaxCrossEntropy();
            var optimizer = new Adam(model.Parameters, learningRate: 1e-2f);
            for (int step = 0; step < 4; step++)
            {
                loss.Forward(model.Forward(inputs, training: true), labels);
                model.Backward(loss.Backward());
                optimizer.Step();
            }

            return [.. model.Parameters.Select(p => p.Value.Span.ToArray())];
        }

        var first = Run();
        var second = Run();
        Assert.Equal(first.Count, second.Count);
        for (int k = 0; k < first.Count; k++)
        {
            Assert.Equal(first[k], second[k]);
        }

        Assert.NotEqual(Tiny(seed: 11).Parameters[2 + 2].Value.Span.ToArray(), first[2 + 2]);
    }

    [Fact]
    public void TrainingStepsDoNotAllocateAfterTheFirstBatch()
    {
        var model = Tiny();
        var (inputs, labels) = Batch(3, seed: 13);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(model.Forward(inputs, training: true), labels);
        model.Backward(loss.Backward());
        long before = GC.GetAllocatedBytesForCurrentThread();
        loss.Forward(model.Forward(inputs, training: true), labels);
        model.Backward(loss.Backward());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RejectsInvalidConfigurations()
    {
        Assert.Throws<ArgumentException>(() => Gpt.Create(Vocabulary, Context, Layers, heads: 3, embeddingDim: 16, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpt.Create(Vocabulary, Context, layers: 0, Heads, Embedding, seed: 1));
        Assert.Throws<ArgumentException>(() => new Gpt(Vocabulary, Context, Layers, Heads, Embedding).Build([Context + 1], new Random(1)));
    }
}
