using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

public sealed class ChurnTrainingOptionsTests
{
    [Test]
    public void Validate_Defaults_NoErrors() => Assert.That(new ChurnTrainingOptions().Validate(), Is.Empty);

    [Test]
    public void Validate_EverySettingInvalid_NamesEachSettingNotAFlag()
    {
        var options = new ChurnTrainingOptions { Trees = 0, Leaves = 1, LearningRate = 1.5, TrainMaxRows = -1, ActiveDays = 0 };

        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "ChurnTrainingOptions.Trees must be at least 1.",
            "ChurnTrainingOptions.Leaves must be at least 2.",
            "ChurnTrainingOptions.LearningRate must be in (0, 1].",
            "ChurnTrainingOptions.TrainMaxRows must be 0 (no sampling) or more.",
            "ChurnTrainingOptions.ActiveDays must be at least 1.",
        }));
    }
}
