using System.Globalization;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Clv.Scoring;

public sealed class ClvScorerTests
{
    /// <summary>The CDNOW 1/10 sample as customer summaries in whole days (lifetimes' weeks × 7, rounded).</summary>
    private static readonly Lazy<CustomerSummary[]> Cdnow = new(LoadCdnow);

    /// <summary>Published estimates: FHL 2005 (BG/NBD), CLVTools (Pareto/NBD), BTYDplus (MBG/NBD), lifetimes (Gamma-Gamma).</summary>
    private static readonly IPurchaseModel[] PublishedModels =
    [
        new BgNbdModel(new BgNbdParameters(0.242593, 4.413532, 0.792886, 2.425752)),
        new ParetoNbdModel(new ParetoNbdParameters(0.55315, 10.57633, 0.60625, 11.67150)),
        new ModifiedBgNbdModel(new ModifiedBgNbdParameters(0.525, 6.183, 0.891, 1.614)),
    ];

    private static readonly GammaGammaModel PublishedSpend = new(new GammaGammaParameters(6.2488, 3.7446, 15.4477));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void ScoreCustomers_Cdnow_EqualsDefinitionPerCustomer(int modelIndex)
    {
        // The shared (x, T) expectations must give exactly what the definition gives customer by customer.
        var model = PublishedModels[modelIndex];
        var options = new ClvScoringOptions { Value = new ClvOptions { HorizonMonths = 12, MonthlyDiscountRate = 0.01, Margin = 0.3 } };
        var customers = Cdnow.Value;

        var rows = ClvScorer.ScoreCustomers(model, PublishedSpend, customers, options);

        Assert.That(rows, Has.Length.EqualTo(customers.Length));
        for (var i = 0; i < customers.Length; i++)
        {
            var c = customers[i];
            double x = c.Frequency, tx = c.TxDays / 7.0, T = c.AgeDays / 7.0;
            var spend = c.Frequency > 0 ? PublishedSpend.ConditionalExpectedAverageSpend(x, c.MeanRepeatValue) : PublishedSpend.PopulationMeanSpend;
            var clv = ClvCalculator.Compute(model, spend, x, tx, T, options.Value, 7);
            var row = rows[i];
            Assert.That(row.ProbabilityAlive, Is.EqualTo(model.ProbabilityAlive(x, tx, T)).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedPurchases90d, Is.EqualTo(model.ConditionalExpectedPurchases(90 / 7.0, x, tx, T)).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedPurchases365d, Is.EqualTo(model.ConditionalExpectedPurchases(365 / 7.0, x, tx, T)).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedAverageSpend, Is.EqualTo(spend).Within(1e-12), c.CustomerId);
            Assert.That(row.Clv, Is.EqualTo(clv).Within(1e-9 * Math.Max(1, clv)), c.CustomerId);
        }
    }

    [Test]
    public void ScoreOfFits_BundleModels_SameColumnsAsScoringInOneCall_AndOtherCustomersAreRefused()
    {
        // crm score fits first and values every customer after churn training; --models values with a bundle's models.
        var options = new ClvScoringOptions { IntervalLevel = 0.9 };
        var fits = ClvScorer.FitModels(Cdnow.Value, options);
        var inOneCall = ClvScorer.Score(Cdnow.Value, options);

        var later = ClvScorer.Score(fits, Cdnow.Value, options);
        var fromBundle = ClvScorer.Score(ClvScorer.Fitted(fits.Purchase, fits.Spend, Cdnow.Value), Cdnow.Value, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(later.Customers, Is.EqualTo(inOneCall.Customers));
            Assert.That(fromBundle.Customers, Is.EqualTo(inOneCall.Customers));
            Assert.That(later.HasIntervals, Is.True);
            Assert.That(() => ClvScorer.Score(fits, Cdnow.Value.Take(100).ToArray(), options), Throws.ArgumentException);
        }
    }

    [Test]
    public void Fit_Cdnow_SameFitsAndSpendChecksAsScoreWithoutAnyCustomerColumn()
    {
        var options = new ClvScoringOptions { Model = "paretonbd" };

        var fitted = ClvScorer.Fit(Cdnow.Value, options);
        var scored = ClvScorer.Score(Cdnow.Value, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fitted.Customers, Is.Empty);
            Assert.That(fitted.HasIntervals, Is.False);
            Assert.That(fitted.PurchaseModel.Fit.LogLikelihood, Is.EqualTo(scored.PurchaseModel.Fit.LogLikelihood));
            Assert.That(((ParetoNbdModel)fitted.PurchaseModel).Parameters, Is.EqualTo(((ParetoNbdModel)scored.PurchaseModel).Parameters));
            Assert.That(((GammaGammaModel)fitted.SpendModel).Parameters, Is.EqualTo(((GammaGammaModel)scored.SpendModel).Parameters));
            Assert.That((fitted.SpendExcluded, fitted.SpendIndependence), Is.EqualTo((scored.SpendExcluded, scored.SpendIndependence)));
            Assert.That(scored.Customers, Has.Length.EqualTo(Cdnow.Value.Length), "the comparison is with a run that scores every customer");
        }
    }

    [Test]
    public void ScoreCustomers_FirstCustomer_MatchesHandComputation()
    {
        // Customer 1 (x=2, t_x=30.43, T=38.86 weeks; lifetimes rounds our 213 and 272 days): E[Y(52.14 weeks)] from
        // FHL 2005 eq. 10, spend from the Gamma-Gamma posterior mean. With d = 0 and m = 1 CLV telescopes to
        // E[spend] · E[Y(12 months)].
        var options = new ClvScoringOptions { Value = new ClvOptions { HorizonMonths = 12, MonthlyDiscountRate = 0, Margin = 1 } };
        var row = ClvScorer.ScoreCustomers(PublishedModels[0], PublishedSpend, Cdnow.Value, options)[0];
        var expectedPurchases = PublishedModels[0].ConditionalExpectedPurchases(12 * 30.4375 / 7, 2, 213 / 7.0, 272 / 7.0);
        Assert.That(row.Clv, Is.EqualTo(row.ExpectedAverageSpend * expectedPurchases).Within(1e-10));
    }

    [Test]
    public void Score_Cdnow_FitsBothModelsAndValuesEveryCustomer()
    {
        var result = ClvScorer.Score(Cdnow.Value, new ClvScoringOptions());

        var fit = result.PurchaseModel.Fit;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.PurchaseModel.Name, Is.EqualTo("bgnbd"));
            Assert.That(fit.LogLikelihood, Is.EqualTo(-9582.43).Within(0.01), "FHL 2005 LL on the rebuilt summary");
            Assert.That(result.SpendModel.Fit.Customers, Is.EqualTo(946), "CDNOW sample repeat buyers");
            Assert.That(result.SpendExcluded, Is.EqualTo(2357 - 946));
            Assert.That(result.Customers, Has.Length.EqualTo(2357));
            Assert.That(result.Customers.All(c => double.IsFinite(c.Clv) && c.Clv >= 0 && c.ProbabilityAlive is >= 0 and <= 1), Is.True);
            Assert.That(result.Customers.Where((_, i) => Cdnow.Value[i].Frequency == 0).Select(c => c.ExpectedAverageSpend).Distinct(),
                Is.EqualTo(new[] { result.SpendModel.PopulationMeanSpend }), "x = 0 customers get the population mean spend");
        }
    }

    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    [TestCase("mbgnbd")]
    public void Score_Cdnow_SameFitPointsAndBoundsAsTheSeparateStepsToTheLastBit(string model)
    {
        // Score groups the customers once for the fit, the columns and the intervals; each step on its own groups them
        // again, customer by customer. Every number must be the same.
        var customers = Cdnow.Value;
        var options = new ClvScoringOptions { Model = model };
        var purchase = ClvScorer.FitPurchaseModel(model, RepeatPatterns.From(customers), options.Fit);
        var spend = GammaGammaModel.Fit(SpendPatterns.From(customers), options.Fit);
        var points = ClvScorer.ScoreCustomers(purchase, spend, customers, options);
        var bounds = Core.Clv.Uncertainty.ClvIntervals.Compute(purchase, spend, customers, points, options, options.IntervalLevel)!;

        var result = ClvScorer.Score(customers, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.PurchaseModel.Fit.Estimates, Is.EqualTo(purchase.Fit.Estimates));
            Assert.That(result.HasIntervals, Is.True);
            Assert.That(result.Customers, Is.EqualTo(points.Select((p, i) => p with { Interval = bounds[i] })));
        }
    }

    [Test]
    public void FitPurchaseModel_UnknownModel_ThrowsConfigurationException()
    {
        Assert.That(() => ClvScorer.FitPurchaseModel("cox", Cdnow.Value, new ClvScoringOptions()), Throws.InstanceOf<ConfigurationException>());
    }

    [Test]
    public void Validate_BadOptions_ReportsEveryError()
    {
        var options = new ClvScoringOptions
        {
            Model = "cox",
            TimeUnitDays = 0,
            Fit = new Core.Clv.Fitting.FitOptions { Penalizer = -1 },
            Value = new ClvOptions { HorizonMonths = 0 },
        };
        Assert.That(options.Validate(), Has.Count.EqualTo(4));
    }

    private static CustomerSummary[] LoadCdnow()
    {
        var end = new DateOnly(1997, 9, 30);
        return File.ReadLines(DatasetPaths.File("cdnow", "cdnow_customers_summary_with_transactions.csv")).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            var x = int.Parse(f[1], CultureInfo.InvariantCulture);
            var tx = (int)Math.Round(double.Parse(f[2], CultureInfo.InvariantCulture) * 7);
            var age = (int)Math.Round(double.Parse(f[3], CultureInfo.InvariantCulture) * 7);
            var zbar = double.Parse(f[4], CultureInfo.InvariantCulture);
            return new CustomerSummary
            {
                CustomerId = f[0],
                FirstPurchase = end.AddDays(-age),
                LastPurchase = end.AddDays(-age + tx),
                Orders = x + 1,
                TxDays = tx,
                AgeDays = age,
                RecencyDays = age - tx,
                GrossSpend = zbar * (x + 1),
                ReturnsValue = 0,
                ReturnLines = 0,
                MeanRepeatValue = zbar,
                GapStdDays = 0,
                Windows = default,
            };
        }).ToArray();
    }
}
