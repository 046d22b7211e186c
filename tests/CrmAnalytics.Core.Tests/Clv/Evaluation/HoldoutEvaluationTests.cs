using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Clv.Evaluation;

public sealed class HoldoutEvaluationTests
{
    /// <summary>Fader, Hardie &amp; Lee (2005) BG/NBD estimates on the CDNOW sample.</summary>
    private static readonly BgNbdModel Fhl = new(new BgNbdParameters(0.2426, 4.4136, 0.7929, 2.4259));

    [Test]
    public void Predict_CustomersSharingAPattern_AskTheModelOncePerPatternWithTheSameAnswer()
    {
        // Four customers, three distinct (x, t_x, T): the model is asked three times, and each customer gets what a
        // direct per-customer call gives.
        CustomerSummary[] customers =
        [
            Customer("a", 2, 30, 70), Customer("b", 0, 0, 70), Customer("c", 2, 30, 70), Customer("d", 5, 60, 63),
        ];
        var counting = new CountingModel(Fhl);

        var predicted = HoldoutEvaluation.Predict(counting, customers, 39, 7);

        Assert.Multiple(() =>
        {
            Assert.That(counting.Calls, Is.EqualTo(3));
            Assert.That(predicted, Is.EqualTo(customers.Select(c => Fhl.ConditionalExpectedPurchases(39, c.Frequency, c.TxDays / 7.0, c.AgeDays / 7.0))));
            Assert.That(predicted[0], Is.Not.EqualTo(predicted[1]));
        });
    }

    private static CustomerSummary Customer(string id, int x, int tx, int T) =>
        new()
        {
            CustomerId = id,
            FirstPurchase = new DateOnly(2024, 1, 1),
            LastPurchase = new DateOnly(2024, 1, 1).AddDays(tx),
            Orders = x + 1,
            TxDays = tx,
            AgeDays = T,
            RecencyDays = T - tx,
            GrossSpend = 10,
            ReturnsValue = 0,
            ReturnLines = 0,
            MeanRepeatValue = 10,
            GapStdDays = 0,
            Windows = new WindowCounts(0, 0, 0, 0, 0, 0, 0, 0, 0),
        };

    private sealed class CountingModel(IPurchaseModel inner) : IPurchaseModel
    {
        private int _calls;

        public int Calls => _calls;

        public string Name => inner.Name;

        public FitResult Fit => inner.Fit;

        public double ExpectedPurchases(double t) => inner.ExpectedPurchases(t);

        public double ConditionalExpectedPurchases(double t, double x, double tx, double T)
        {
            Interlocked.Increment(ref _calls);
            return inner.ConditionalExpectedPurchases(t, x, tx, T);
        }

        public double ExpectedPurchasesIfAlive(double t, double x, double T) => inner.ExpectedPurchasesIfAlive(t, x, T);

        public double ProbabilityAlive(double x, double tx, double T) => inner.ProbabilityAlive(x, tx, T);

        public double ProbabilityOfPurchases(int n, double t) => inner.ProbabilityOfPurchases(n, t);
    }
}
