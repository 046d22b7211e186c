using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Churn;

/// <summary>
/// LightGBM's OpenMP threads must not spin (issue 11, "CPU contention"): <c>crm</c> sets <c>OMP_WAIT_POLICY=PASSIVE</c>
/// in its native environment before libgomp loads. Each case is a fresh <c>crm</c> process, because libgomp reads its
/// settings once per process; <c>OMP_DISPLAY_ENV=VERBOSE</c> makes libgomp print the settings it actually took to stderr.
/// </summary>
[TestFixture]
public sealed class ChurnOpenMpTests
{
    [Test]
    [CancelAfter(120_000)]
    public void ChurnEvaluate_NoWaitPolicyInEnvironment_LibgompRunsPassiveWithSpinCountZero()
    {
        var error = RunChurnEvaluate(waitPolicy: null);

        // libgomp's default (variable unset) is GOMP_SPINCOUNT = '300000': the threads spin before they sleep.
        Assert.That(error, Does.Contain("GOMP_SPINCOUNT = '0'"), error);
        Assert.That(error, Does.Contain("OMP_WAIT_POLICY = 'PASSIVE'"), error);
    }

    [Test]
    [CancelAfter(120_000)]
    public void ChurnEvaluate_UserSetsActive_TheUsersPolicyWins()
    {
        var error = RunChurnEvaluate(waitPolicy: "ACTIVE");

        Assert.That(error, Does.Contain("OMP_WAIT_POLICY = 'ACTIVE'"), error);
        Assert.That(error, Does.Not.Contain("GOMP_SPINCOUNT = '0'"), error);
    }

    private static string RunChurnEvaluate(string? waitPolicy)
    {
        var run = CrmProcess.Run(
            new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = waitPolicy, ["GOMP_SPINCOUNT"] = null, ["OMP_DISPLAY_ENV"] = "VERBOSE" },
            "churn", "evaluate", Crm.SampleTransactions, "--preset", "sample");
        Assert.That(run.Output, Does.Contain("AUC"), "LightGBM trained, so libgomp was loaded");
        return run.Error;
    }
}
