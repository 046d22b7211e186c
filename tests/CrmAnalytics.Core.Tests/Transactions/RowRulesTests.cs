using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.Core.Tests.Transactions;

public sealed class RowRulesTests
{
    private static readonly RowColumns Columns = new("customer", "date", "amount", string.Empty, string.Empty);

    private static readonly RowColumns ProductColumns = new("customer", "date", string.Empty, "qty", "price");

    private static readonly RowRules Rules = new(asOf: new DateOnly(2024, 1, 1), earliestDate: new DateOnly(1970, 1, 1),
        latestDate: new DateOnly(2024, 12, 31), cancelledOrderPrefix: "C", rejectZeroAmount: true);

    private static (RowOutcome Outcome, RejectReason Reason, string Column) Evaluate(RowRules rules, string id, DateOnly date, double amount,
        string order = "", RowColumns? columns = null)
    {
        var outcome = rules.Evaluate(id, date, amount, order, columns ?? Columns, out var reason, out var column);
        return (outcome, reason, column);
    }

    [TestCase(10.0, "1", false)]
    [TestCase(-10.0, "1", true)]
    [TestCase(10.0, "C1", true)]
    [TestCase(10.0, "  C1", true)]
    public void Evaluate_WellFormedRow_IsPurchaseOrReturn(double amount, string order, bool isReturn)
    {
        var (outcome, _, column) = Evaluate(Rules, "c1", new DateOnly(2023, 6, 1), amount, order);

        Assert.That(outcome, Is.EqualTo(isReturn ? RowOutcome.Return : RowOutcome.Purchase));
        Assert.That(column, Is.Empty);
    }

    [Test]
    public void Evaluate_DateOnOrAfterAsOf_RejectsAsDateAfterAsOfOnTheDateColumn()
    {
        var (outcome, reason, column) = Evaluate(Rules, "c1", new DateOnly(2024, 1, 1), 10);

        Assert.That((outcome, reason, column), Is.EqualTo((RowOutcome.Rejected, RejectReason.DateAfterAsOf, "date")));
    }

    [Test]
    public void Evaluate_DateBeforeEarliestOrAfterLatest_RejectsAsImplausibleDate()
    {
        Assert.That(Evaluate(Rules, "c1", new DateOnly(1969, 12, 31), 10).Reason, Is.EqualTo(RejectReason.ImplausibleDate));
        Assert.That(Evaluate(Rules, "c1", new DateOnly(2025, 1, 1), 10).Reason, Is.EqualTo(RejectReason.ImplausibleDate));
    }

    [Test]
    public void Evaluate_NoLatestDate_StillRejectsTheCalendarsLastDay()
    {
        var open = new RowRules(asOf: null, new DateOnly(1970, 1, 1), latestDate: null, cancelledOrderPrefix: null, rejectZeroAmount: true);

        Assert.That(Evaluate(open, "c1", DateOnly.MaxValue, 10).Reason, Is.EqualTo(RejectReason.ImplausibleDate));
        Assert.That(Evaluate(open, "c1", DateOnly.MaxValue.AddDays(-1), 10).Outcome, Is.EqualTo(RowOutcome.Purchase));
    }

    [Test]
    public void Evaluate_MalformedAndExcludedTogether_MalformedWins()
    {
        // Empty customer id (excluded by design) with an amount out of range (malformed): the malformed reason is reported.
        var (outcome, reason, column) = Evaluate(Rules, " ", new DateOnly(2023, 6, 1), 2e15);

        Assert.That((outcome, reason, column), Is.EqualTo((RowOutcome.Rejected, RejectReason.AmountOutOfRange, "amount")));
    }

    [Test]
    public void Evaluate_AmountOfQuantityTimesPrice_NamesBothColumns()
    {
        var (_, reason, column) = Evaluate(Rules, "c1", new DateOnly(2023, 6, 1), double.PositiveInfinity, columns: ProductColumns);

        Assert.That((reason, column), Is.EqualTo((RejectReason.NonFiniteAmount, "qty*price")));
    }

    [Test]
    public void Evaluate_ReplacementCharacterInId_RejectsAsInvalidEncoding()
    {
        Assert.That(Evaluate(Rules, "caf\uFFFD", new DateOnly(2023, 6, 1), 10).Reason, Is.EqualTo(RejectReason.InvalidEncoding));
    }

    [Test]
    public void Evaluate_ZeroAmount_RejectedOnlyWhenThePolicySaysSo()
    {
        var keep = new RowRules(new DateOnly(2024, 1, 1), new DateOnly(1970, 1, 1), null, null, rejectZeroAmount: false);

        Assert.That(Evaluate(Rules, "c1", new DateOnly(2023, 6, 1), 0).Reason, Is.EqualTo(RejectReason.ZeroAmount));
        Assert.That(Evaluate(keep, "c1", new DateOnly(2023, 6, 1), 0).Outcome, Is.EqualTo(RowOutcome.Purchase));
    }

    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase("C", true)]
    public void NeedsOrderId_CancelledOrderPrefix_OnlyWhenOneIsSet(string? prefix, bool expected)
    {
        var rules = new RowRules(null, new DateOnly(1970, 1, 1), null, prefix, rejectZeroAmount: true);

        Assert.That(rules.NeedsOrderId, Is.EqualTo(expected));
    }
}
