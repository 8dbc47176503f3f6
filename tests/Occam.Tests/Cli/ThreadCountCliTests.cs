using Occam.Kernels;
using Occam.Tests.Data;
using Occam.Tests.Layers;

namespace Occam.Tests.Cli;

/// <summary>
/// A command run in-process with <c>--threads</c> leaves the process-wide kernel thread count as it found it, so tests
/// sharing the process (and their kernel calibration, which the count keys) are not changed by it.
/// </summary>
[Collection(nameof(KernelCalibrationCollection))]
public sealed class ThreadCountCliTests
{
    [Fact]
    public void TrainAndEvaluateWithThreadsRestoreTheThreadCount()
    {
        using var dir = new TempDir();
        string iris = Path.Combine(TabularTests.RepositoryRoot(), "data", "tabular", "iris.csv");
        string run = dir.File("run");
        using var scope = Parallelism.Use(3);
        Assert.Equal(0, CliRunner.Run("train", "--data", "csv:" + iris, "--model", "mlp:8", "--epochs", "2", "--threads", "1", "--out", run).ExitCode);
        Assert.Equal(3, Parallelism.ThreadCount);
        Assert.Equal(0, CliRunner.Run("eval", run, "--data", "csv:" + iris, "--threads", "2").ExitCode);
        Assert.Equal(3, Parallelism.ThreadCount);
    }
}
