namespace Occam.Tests.Cli;

/// <summary>
/// A test that needs the Slurm cluster .ci/run starts: it names the cluster's slurm.conf in
/// <see cref="ConfigurationVariable"/>, or says in <see cref="UnavailableVariable"/> why the daemons could not start
/// on this machine, the one case where the test is skipped (with that reason). Without either, the test is skipped
/// too, saying how to start the cluster.
/// </summary>
public sealed class SlurmClusterFactAttribute : FactAttribute
{
    /// <summary>The variable holding the test cluster's slurm.conf.</summary>
    public const string ConfigurationVariable = "OCCAM_TEST_SLURM_CONF";

    /// <summary>The variable holding why .ci/run could not start the cluster.</summary>
    public const string UnavailableVariable = "OCCAM_TEST_SLURM_UNAVAILABLE";

    /// <summary>Skips unless a cluster is configured.</summary>
    public SlurmClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(UnavailableVariable) is { Length: > 0 } reason)
        {
            Skip = $"the Slurm daemons could not start on this machine: {reason}";
        }
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ConfigurationVariable)))
        {
            Skip = $"no Slurm cluster: .ci/run starts one (.ci/slurm-cluster start DIR) and names its slurm.conf in {ConfigurationVariable}";
        }
    }

    /// <summary>The test cluster's slurm.conf.</summary>
    public static string Configuration => Environment.GetEnvironmentVariable(ConfigurationVariable) ?? "";
}
