using Occam.Baselines;
using Occam.Tensors;
using Xunit.Abstractions;

namespace Occam.Tests.Baselines;

public class TreeRegressionBaselineTests(ITestOutputHelper output)
{
    public static TheoryData<string> Baselines => ["rf", "gbdt"];

    [Theory]
    [MemberData(nameof(Baselines))]
    public void LearnsALinearTargetWithNoise(string name)
    {
        var (features, targets) = LinearProblem(rows: 400, seed: 1);
        var (trainFeatures, trainTargets, testFeatures, testTargets) = Split(features, targets, trainCount: 300);
        // The settings the benchmark uses.
        var baseline = TreeBenchmark.DefaultRegressionBaselines.Single(b => b.Name == name);
        var model = baseline.Fit(trainFeatures, trainTargets, seed: 0);
        float[] predictions = model.Predict(testFeatures);

        Assert.Equal(testTargets.Length, predictions.Length);
        double r2 = RSquared(predictions, testTargets);
        output.WriteLine($"{name}: held-out R² {r2:F4}, {model.Size} nodes, {model.TrainingSeconds:F3} s");
        Assert.True(r2 > 0.8, $"R² {r2}");
        Assert.Equal(name, model.Name);
        Assert.True(model.Size > 0);
        Assert.True(model.TrainingSeconds > 0);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void PredictsInTheTargetsUnits(string name)
    {
        // The same problem shifted and scaled: predictions must follow, not come back standardised.
        var (features, targets) = LinearProblem(rows: 300, seed: 2);
        float[] shifted = [.. targets.Select(t => 1000f + (50f * t))];
        float[] predictions = Create(name).Fit(features, shifted, seed: 0).Predict(features);

        Assert.InRange(predictions.Average(), 950.0, 1050.0);
        Assert.True(RSquared(predictions, shifted) > 0.8);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void SameSeedGivesSamePredictions(string name)
    {
        var (features, targets) = LinearProblem(rows: 200, seed: 3);
        var baseline = Create(name, trees: 20);

        float[] first = baseline.Fit(features, targets, seed: 7).Predict(features);
        float[] second = baseline.Fit(features, targets, seed: 7).Predict(features);

        Assert.Equal(first, second);
    }

    [Fact]
    public void ThreadCountDoesNotChangeThePredictions()
    {
        var (features, targets) = LinearProblem(rows: 200, seed: 4);

        float[] forestOne = new RandomForestRegressionBaseline(treeCount: 20, threadCount: 1).Fit(features, targets, seed: 3).Predict(features);
        float[] forestTwo = new RandomForestRegressionBaseline(treeCount: 20, threadCount: 2).Fit(features, targets, seed: 3).Predict(features);
        float[] boostedOne = new GradientBoostedTreesRegressionBaseline(roundCount: 20, threadCount: 1).Fit(features, targets, seed: 3).Predict(features);
        float[] boostedTwo = new GradientBoostedTreesRegressionBaseline(roundCount: 20, threadCount: 2).Fit(features, targets, seed: 3).Predict(features);

        Assert.Equal(forestOne, forestTwo);
        Assert.Equal(boostedOne, boostedTwo);
    }

    [Fact]
    public void ForestDependsOnTheSeed()
    {
        var (features, targets) = LinearProblem(rows: 200, seed: 5);
        var forest = new RandomForestRegressionBaseline(treeCount: 20);

        Assert.NotEqual(forest.Fit(features, targets, seed: 1).Predict(features), forest.Fit(features, targets, seed: 2).Predict(features));
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void SizeCountsEveryNodeOfEveryTree(string name)
    {
        var (features, targets) = LinearProblem(rows: 200, seed: 6);
        var model = Create(name, trees: 10).Fit(features, targets, seed: 0);

        // Ten trees of at most 8 leaves: a binary tree with L leaves has 2L − 1 nodes.
        Assert.InRange(model.Size, 11, 10 * 15);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void ConstantTargetIsPredictedEverywhere(string name)
    {
        var (features, _) = LinearProblem(rows: 100, seed: 7);
        float[] constant = [.. Enumerable.Repeat(4.5f, features.Batch)];
        var model = Create(name).Fit(features, constant, seed: 0);

        Assert.All(model.Predict(features), p => Assert.Equal(4.5f, p, 1e-4f));
        Assert.True(model.Size > 0);
    }

    [Fact]
    public void MismatchedOrNonFiniteTargetsAreRejected()
    {
        var features = new Tensor(3, 2);
        var baseline = new GradientBoostedTreesRegressionBaseline();

        Assert.Throws<ArgumentException>(() => baseline.Fit(features, [1f, 2f], seed: 0));
        Assert.Throws<ArgumentException>(() => baseline.Fit(features, [1f, float.NaN, 2f], seed: 0));
    }

    [Fact]
    public void PredictRejectsAnotherFeatureCount()
    {
        var (features, targets) = LinearProblem(rows: 50, seed: 8);
        var model = new GradientBoostedTreesRegressionBaseline(roundCount: 5).Fit(features, targets, seed: 0);

        Assert.Throws<ArgumentException>(() => model.Predict(new Tensor(4, 2)));
    }

    private static ITabularRegressionBaseline Create(string name, int trees = 100) => name switch
    {
        "rf" => new RandomForestRegressionBaseline(treeCount: trees, leafCount: 8),
        "gbdt" => new GradientBoostedTreesRegressionBaseline(roundCount: trees, leafCount: 8),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>y = 3·x0 − 2·x1 + noise, with a third feature that carries no signal; x uniform in [−1, 1].</summary>
    private static (Tensor Features, float[] Targets) LinearProblem(int rows, int seed)
    {
        const int FeatureCount = 3;
        var random = new Random(seed);
        var features = new Tensor(rows, FeatureCount);
        var targets = new float[rows];
        Span<float> values = features.Span;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < FeatureCount; j++)
            {
                values[(i * FeatureCount) + j] = (float)((2.0 * random.NextDouble()) - 1.0);
            }

            double noise = 0.2 * ((2.0 * random.NextDouble()) - 1.0);
            targets[i] = (float)((3.0 * values[i * FeatureCount]) - (2.0 * values[(i * FeatureCount) + 1]) + noise);
        }

        return (features, targets);
    }

    private static (Tensor, float[], Tensor, float[]) Split(Tensor features, float[] targets, int trainCount)
    {
        int width = features.RowLength;
        int testCount = features.Batch - trainCount;
        var train = Tensor.From(features.Span[..(trainCount * width)], trainCount, width);
        var test = Tensor.From(features.Span[(trainCount * width)..], testCount, width);
        return (train, targets[..trainCount], test, targets[trainCount..]);
    }

    private static double RSquared(float[] predictions, float[] targets)
    {
        double mean = targets.Average();
        double residual = 0;
        double total = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            residual += (predictions[i] - targets[i]) * (double)(predictions[i] - targets[i]);
            total += (targets[i] - mean) * (targets[i] - mean);
        }

        return 1.0 - (residual / total);
    }
}
