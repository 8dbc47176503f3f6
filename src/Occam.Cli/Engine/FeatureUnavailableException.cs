namespace Occam.Cli.Engine;

/// <summary>The command exists but the library in this build cannot do its work yet; reported with exit code 2.</summary>
internal sealed class FeatureUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="command"/> (e.g. "train").</summary>
    public FeatureUnavailableException(string command)
        : base($"{command} is not available yet in this build")
    {
    }
}
