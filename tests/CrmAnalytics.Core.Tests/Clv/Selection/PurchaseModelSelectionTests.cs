using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Selection;

namespace CrmAnalytics.Core.Tests.Clv.Selection;

[TestFixture]
public sealed class PurchaseModelSelectionTests
{
    [Test]
    [Category("Integration")]
    public void Select_CdnowMasterCalibratedTo19971001_PicksParetoNbdOnHoldoutMae()
    {
        // Holdout MAE per customer over the 39 weeks to 1998-07-01, as lifetimes reports them on the same split:
        // Pareto/NBD 0.7938, MBG/NBD 0.7945, BG/NBD 0.8187 (README, "CLV holdout evaluation on CDNOW master").
        var split = CdnowMaster.Split(new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));

        var result = PurchaseModelSelection.Select(split, new FitOptions(), 7);

        var mae = result.Candidates.ToDictionary(c => c.Model, c => c.MeanAbsoluteError);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(split.Calibration, Has.Count.EqualTo(23_570));
            Assert.That(result.Model, Is.EqualTo("paretonbd"));
            Assert.That(result.Candidates.Select(c => c.Model), Is.EqualTo(new[] { "bgnbd", "paretonbd", "mbgnbd" }));
            Assert.That(mae["paretonbd"], Is.EqualTo(0.7938).Within(5e-5));
            Assert.That(mae["bgnbd"], Is.EqualTo(0.8187).Within(5e-5));
            Assert.That(mae["mbgnbd"], Is.EqualTo(0.7945).Within(5e-5));
            Assert.That(result.Reason, Does.StartWith("lowest holdout MAE 0.7938").And.Contain("bgnbd 0.8187"));
            Assert.That(result.CalibrationFit!.Name, Is.EqualTo("paretonbd"));
            Assert.That(result.CalibrationFit.Fit.LogLikelihood, Is.EqualTo(-95_415.12).Within(0.01));
        }
    }

    [Test]
    public void Select_CdnowMasterSplitFromTheLedgers_SameCandidatesAsFromSummaries()
    {
        // The run's holdout stage splits from the day ledgers; the pick and every number must be those of the summaries.
        var (calibrationEnd, holdoutEnd) = (new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));
        var fromSummaries = PurchaseModelSelection.Select(CdnowMaster.Split(calibrationEnd, holdoutEnd), new FitOptions(), 7);

        var fromLedgers = PurchaseModelSelection.Select(HoldoutPatterns.From(CdnowMaster.Builder, calibrationEnd, holdoutEnd)!, new FitOptions(), 7);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromLedgers.Model, Is.EqualTo("paretonbd"));
            Assert.That(fromLedgers.Candidates, Is.EqualTo(fromSummaries.Candidates));
            Assert.That(fromLedgers.Reason, Is.EqualTo(fromSummaries.Reason));
        }
    }

    [Test]
    public void Choose_MaesWithinTheTolerance_TheHigherLogLikelihoodWins()
    {
        PurchaseModelCandidate[] candidates =
        [
            new("bgnbd", 0.5, -100, null),
            new("paretonbd", 0.5 + (PurchaseModelSelection.TieTolerance / 2), -90, null),
            new("mbgnbd", 0.6, -10, null),
        ];

        var result = PurchaseModelSelection.Choose(candidates, new Dictionary<string, IPurchaseModel>());

        Assert.That(result.Model, Is.EqualTo("paretonbd"));
        Assert.That(result.Reason, Does.Contain("tied").And.Contain("-90.00"));
    }

    [Test]
    public void Choose_ALowerMaeBeyondTheTolerance_WinsOverAHigherLogLikelihood()
    {
        PurchaseModelCandidate[] candidates =
        [
            new("bgnbd", 0.5, -100, null),
            new("paretonbd", 0.5 - (3 * PurchaseModelSelection.TieTolerance), -200, null),
            new("mbgnbd", null, null, "did not converge"),
        ];

        var result = PurchaseModelSelection.Choose(candidates, new Dictionary<string, IPurchaseModel>());

        Assert.That(result.Model, Is.EqualTo("paretonbd"));
        Assert.That(result.Reason, Does.StartWith("lowest holdout MAE").And.EndWith("not fitted on the calibration window: mbgnbd"));
    }

    [Test]
    public void Choose_NoCandidateFitted_FallsBackToBgNbdAndSaysWhy()
    {
        PurchaseModelCandidate[] candidates = [new("bgnbd", null, null, "x"), new("paretonbd", null, null, "y"), new("mbgnbd", null, null, "z")];

        var result = PurchaseModelSelection.Choose(candidates, new Dictionary<string, IPurchaseModel>());

        Assert.That(result.Model, Is.EqualTo(PurchaseModelSelection.Fallback));
        Assert.That(result.Reason, Does.StartWith("no model could be fitted"));
        Assert.That(result.CalibrationFit, Is.Null);
    }

    [Test]
    public void Select_SameSplitTwice_SameCandidatesToTheLastBit()
    {
        var split = CdnowMaster.Split(new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));

        var first = PurchaseModelSelection.Select(split, new FitOptions(), 7);
        var second = PurchaseModelSelection.Select(split, new FitOptions(), 7);

        Assert.That(second.Candidates, Is.EqualTo(first.Candidates));
        Assert.That(second.Reason, Is.EqualTo(first.Reason));
    }
}
