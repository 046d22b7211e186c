using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Tests.Parallelism;

public sealed class SideBySideTests
{
    [Test]
    public void Run_TwoSteps_BothRunToCompletion()
    {
        var (a, b) = (0, 0);

        SideBySide.Run(() => a = 1, () => b = 2);

        Assert.That((a, b), Is.EqualTo((1, 2)));
    }

    [Test]
    public void Run_BothFailLaterOneFirst_ThrowsTheFirstStepsExceptionUnwrapped()
    {
        using var secondFailed = new ManualResetEventSlim();
        var thrown = Assert.Throws<ModelFitException>(() => SideBySide.Run(
            () =>
            {
                // Fails only after the second step has failed, so its failure is the later one in time.
                secondFailed.Wait(TimeSpan.FromSeconds(10));
                throw new ModelFitException("first step");
            },
            () =>
            {
                try
                {
                    throw new InvalidOperationException("second step");
                }
                finally
                {
                    secondFailed.Set();
                }
            }));

        Assert.That(thrown!.Message, Is.EqualTo("first step"));
    }

    [Test]
    public void Run_OnlyTheSecondFails_ThrowsItUnwrappedAfterTheFirstCompleted()
    {
        var firstDone = false;

        var thrown = Assert.Throws<ModelFitException>(() => SideBySide.Run(() => firstDone = true, () => throw new ModelFitException("second step")));

        Assert.That((thrown!.Message, firstDone), Is.EqualTo(("second step", true)));
    }
}
