using Occam.Baselines;
using Occam.Data;
using Occam.Tensors;
using Occam.Training;

namespace Occam.Tests.Baselines;

public class TreeBaselineTests
{
    public static TheoryData<string> Baselines => ["rf", "gbdt"];

    [Theory]
    [MemberData(nameof(Baselines))]
    public void LearnsSeparableBlobsWithValidProbabilities(string name)
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 3, rowsPerClass: 100, featureCount: 4, seed: 1), 0.7);
        var model = Create(name).Fit(train, seed: 0);
        var probabilities = model.PredictProbabilities(test);

        AssertValidProbabilities(probabilities, test.Count, 3);
        Assert.True(Metrics.Accuracy(probabilities, test.Labels) > 0.9, $"accuracy {Metrics.Accuracy(probabilities, test.Labels)}");
        Assert.True(Metrics.LogLoss(probabilities, test.Labels) < 0.5, $"log-loss {Metrics.LogLoss(probabilities, test.Labels)}");
        Assert.Equal(name, model.Name);
        Assert.Equal(3, model.ClassCount);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void SizeCountsEveryNodeOfEveryTree(string name)
    {
        var train = BlobData.Make(classCount: 3, rowsPerClass: 40, featureCount: 4, seed: 2, spread: 4.0);
        var model = Create(name, trees: 10).Fit(train, seed: 0);

        // Ten trees per class (one-versus-all forests, or one booster tree per class per round), and a binary tree
        // with L leaves has 2L − 1 nodes, so every tree adds an odd count of at least 1 and at most 2 × 8 − 1.
        Assert.InRange(model.Size, 30, 30 * 15);
        Assert.True(model.Size > 30, "trees on overlapping blobs should split at least once");
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void SameSeedGivesSameProbabilities(string name)
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 3, rowsPerClass: 40, featureCount: 4, seed: 3, spread: 4.0), 0.7);
        var baseline = Create(name, trees: 20);

        var first = baseline.Fit(train, seed: 7).PredictProbabilities(test);
        var second = baseline.Fit(train, seed: 7).PredictProbabilities(test);

        Assert.Equal(first.Span.ToArray(), second.Span.ToArray());
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheProbabilities()
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 3, rowsPerClass: 60, featureCount: 5, seed: 9, spread: 4.0), 0.7);

        var forestOne = new RandomForestBaseline(treeCount: 20, threadCount: 1).Fit(train, seed: 3).PredictProbabilities(test);
        var forestTwo = new RandomForestBaseline(treeCount: 20, threadCount: 2).Fit(train, seed: 3).PredictProbabilities(test);
        var boostedOne = new GradientBoostedTreesBaseline(roundCount: 20, threadCount: 1).Fit(train, seed: 3).PredictProbabilities(test);
        var boostedTwo = new GradientBoostedTreesBaseline(roundCount: 20, threadCount: 2).Fit(train, seed: 3).PredictProbabilities(test);

        Assert.Equal(forestOne.Span.ToArray(), forestTwo.Span.ToArray());
        Assert.Equal(boostedOne.Span.ToArray(), boostedTwo.Span.ToArray());
    }

    [Fact]
    public void ForestDependsOnTheSeed()
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 3, rowsPerClass: 40, featureCount: 4, seed: 3, spread: 4.0), 0.7);
        var forest = new RandomForestBaseline(treeCount: 20);

        var first = forest.Fit(train, seed: 1).PredictProbabilities(test);
        var second = forest.Fit(train, seed: 2).PredictProbabilities(test);

        Assert.NotEqual(first.Span.ToArray(), second.Span.ToArray());
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void BinaryProblemUsesBothColumns(string name)
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 2, rowsPerClass: 75, featureCount: 3, seed: 4), 0.7);
        var model = Create(name).Fit(train, seed: 0);
        var probabilities = model.PredictProbabilities(test);

        AssertValidProbabilities(probabilities, test.Count, 2);
        Assert.True(Metrics.Accuracy(probabilities, test.Labels) > 0.9, $"accuracy {Metrics.Accuracy(probabilities, test.Labels)}");
        Assert.True(model.Size > 0);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void ClassAbsentFromTrainingKeepsAZeroColumn(string name)
    {
        var blobs = BlobData.Make(classCount: 4, rowsPerClass: 30, featureCount: 3, seed: 5);
        int[] withoutClassTwo = [.. Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] != 2)];
        var model = Create(name, trees: 20).Fit(blobs.Subset(withoutClassTwo), seed: 0);
        var probabilities = model.PredictProbabilities(blobs);

        AssertValidProbabilities(probabilities, blobs.Count, 4);
        for (int i = 0; i < blobs.Count; i++)
        {
            Assert.Equal(0f, probabilities.Span[(i * 4) + 2]);
        }

        // Class 3 comes after the gap, so a wrong compact-to-class mapping would show here.
        int[] classThree = [.. Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] == 3)];
        var classThreeProbabilities = model.PredictProbabilities(blobs.Subset(classThree));
        Assert.True(Metrics.Accuracy(classThreeProbabilities, [.. classThree.Select(_ => 3)]) > 0.9);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void BinaryTrainingWithinManyClassesMapsBackToClassIds(string name)
    {
        var blobs = BlobData.Make(classCount: 5, rowsPerClass: 30, featureCount: 3, seed: 6);
        int[] classesOneAndFour = [.. Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] is 1 or 4)];
        var subset = blobs.Subset(classesOneAndFour);
        var probabilities = Create(name, trees: 20).Fit(subset, seed: 0).PredictProbabilities(subset);

        AssertValidProbabilities(probabilities, subset.Count, 5);
        Assert.True(Metrics.Accuracy(probabilities, subset.Labels) > 0.9);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void SingleTrainingClassIsPredictedWithCertainty(string name)
    {
        var blobs = BlobData.Make(classCount: 3, rowsPerClass: 10, featureCount: 2, seed: 7);
        int[] onlyClassOne = [.. Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] == 1)];
        var model = Create(name).Fit(blobs.Subset(onlyClassOne), seed: 0);
        var probabilities = model.PredictProbabilities(blobs);

        AssertValidProbabilities(probabilities, blobs.Count, 3);
        Assert.All(Enumerable.Range(0, blobs.Count), i => Assert.Equal(1f, probabilities.Span[(i * 3) + 1]));
        Assert.Equal(0, model.Size);
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void ManyClassesGetOneColumnEach(string name)
    {
        var (train, test) = BlobData.Split(BlobData.Make(classCount: 26, rowsPerClass: 20, featureCount: 6, seed: 8), 0.75);
        var probabilities = Create(name, trees: 10).Fit(train, seed: 0).PredictProbabilities(test);

        AssertValidProbabilities(probabilities, test.Count, 26);
        Assert.True(Metrics.Accuracy(probabilities, test.Labels) > 0.8, $"accuracy {Metrics.Accuracy(probabilities, test.Labels)}");
    }

    [Fact]
    public void SequenceLabelsAreRejected()
    {
        var sequences = new Dataset(new Tensor(2, 3), [0, 1, 1, 0, 1, 0], classCount: 2, labelsPerExample: 3);
        Assert.Throws<ArgumentException>(() => new GradientBoostedTreesBaseline().Fit(sequences, seed: 0));
    }

    private static ITabularBaseline Create(string name, int trees = 100) => name switch
    {
        "rf" => new RandomForestBaseline(treeCount: trees, leafCount: 8),
        "gbdt" => new GradientBoostedTreesBaseline(roundCount: trees, leafCount: 8),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static void AssertValidProbabilities(Tensor probabilities, int rows, int classCount)
    {
        Assert.Equal([rows, classCount], probabilities.Shape.ToArray());
        for (int i = 0; i < rows; i++)
        {
            var row = probabilities.Span.Slice(i * classCount, classCount);
            double sum = 0;
            foreach (float p in row)
            {
                Assert.True(p is >= 0f and <= 1f, $"probability {p} in row {i}");
                sum += p;
            }

            Assert.Equal(1.0, sum, 1e-4);
        }
    }
}
