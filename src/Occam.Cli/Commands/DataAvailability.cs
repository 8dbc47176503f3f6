using Occam.Cli.Specs;

namespace Occam.Cli.Commands;

/// <summary>Checks that the files a data spec names are there before any work starts, with advice when they are not.</summary>
internal static class DataAvailability
{
    /// <summary>Throws <see cref="UsageException"/> when the directory or file of <paramref name="data"/> is missing.</summary>
    public static void Check(DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Path is null)
        {
            return;
        }

        switch (data.Kind)
        {
            case DataKind.FashionMnist when !Directory.Exists(data.Path):
                throw new UsageException(data.Path == DataSpec.DefaultFashionMnistDirectory
                    ? $"Fashion-MNIST is not installed in {data.Path}: install it with 'apt-get install dataset-fashion-mnist', or pass fashion-mnist:DIR"
                    : $"--data '{data}': directory '{data.Path}' does not exist");
            case DataKind.Mnist or DataKind.Cifar10 when !Directory.Exists(data.Path):
                throw new UsageException($"--data '{data}': directory '{data.Path}' does not exist");
            case DataKind.Csv or DataKind.Text:
                Validate.ExistingFile($"--data '{data}': file", data.Path);
                break;
        }
    }
}
