using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Scoring;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

/// <summary>Issue 16: the covariate settings' messages name the setting a library caller set, never a CLI flag.</summary>
[TestFixture]
public sealed class CovariateOptionsTests
{
    [Test]
    public void Validate_EveryProblem_NamesEachSettingAndNoFlag()
    {
        var options = new CovariateOptions { Purchase = ["age", "age"], Dropout = [" "], Penalizer = -1 };

        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "CovariateOptions.Penalizer must be a finite number ≥ 0.",
            "CovariateOptions.Purchase names a column twice.",
            "CovariateOptions.Dropout has an empty column name.",
        }));
    }

    [Test]
    public void ClvScoringOptionsValidate_CovariatesWithAuto_NamesTheModelSettingAndNoFlag()
    {
        var options = new ClvScoringOptions { Model = ClvScoringOptions.Auto, Covariates = new CovariateOptions { Purchase = ["age"] } };

        var error = options.Validate().Single();

        Assert.That(error, Does.StartWith("CLV covariates need ClvScoringOptions.Model bgnbd or paretonbd (got auto)").And.Not.Contain("--"));
    }

    [Test]
    public void CovariateModelFor_ModelWithoutCovariates_NamesTheModelSettingAndNoFlag()
    {
        var ex = Assert.Throws<ConfigurationException>(() => CovariateModel.For("mbgnbd"));

        Assert.That(ex!.Message, Does.Contain("ClvScoringOptions.Model").And.Not.Contain("--"));
    }
}
