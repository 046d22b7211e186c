using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>Applies row outcomes to the customer accumulators, the row accounting and the reject sink, in input order.</summary>
internal sealed class TransactionRowHandler(TransactionReadOptions options, string fileName, IRejectSink rejects)
{
    private AcceptedRowPipeline? _pipeline;

    public RowRules Rules { get; } = new(options.AsOf, options.EarliestDate, options.LatestDate, options.CancelledOrderPrefix,
        rejectZeroAmount: options.ZeroAmount == ZeroAmountPolicy.Reject);

    public CustomerSummaryBuilder Builder { get; } = new();

    public RowAccounting Accounting { get; } = new();

    public string FileName => fileName;

    public bool NeedsOrderId => Rules.NeedsOrderId;

    public void Reject(long line, string column, RejectReason reason, ReadOnlySpan<byte> raw)
    {
        Accounting.Reject(reason);
        rejects.Reject(fileName, line, column, reason, raw);
    }

    public void Accept(RowOutcome outcome, ReadOnlySpan<char> customerId, DateOnly date, double amount)
    {
        Accounting.Accept();
        if (_pipeline is { } pipeline)
        {
            pipeline.Add(outcome, customerId.Trim(), date, amount);
        }
        else
        {
            Apply(Builder, outcome, Builder.Customer(customerId.Trim()), date, amount);
        }
    }

    /// <summary>Runs <paramref name="read"/> with accepted rows reaching the builder on a second thread; returns once all have.</summary>
    public void WithPipeline(Action read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var pipeline = new AcceptedRowPipeline(Builder);
        _pipeline = pipeline;
        try
        {
            read();
            pipeline.Complete();
        }
        finally
        {
            _pipeline = null;
        }
    }

    /// <param name="customer">The customer's number from <see cref="CustomerSummaryBuilder.Customer"/>.</param>
    private static void Apply(CustomerSummaryBuilder builder, RowOutcome outcome, int customer, DateOnly date, double amount)
    {
        if (outcome == RowOutcome.Return)
        {
            builder.AddReturn(customer, date, amount);
        }
        else
        {
            builder.AddPurchase(customer, date, amount);
        }
    }

    /// <summary>Evaluates and applies one row whose date and amount parsed.</summary>
    public void Handle(long line, ReadOnlySpan<char> customerId, DateOnly date, double amount, ReadOnlySpan<char> orderId, in RowColumns columns, ReadOnlySpan<byte> raw)
    {
        var outcome = Rules.Evaluate(customerId, date, amount, orderId, columns, out var reason, out var column);
        if (outcome == RowOutcome.Rejected)
        {
            Reject(line, column, reason, raw);
        }
        else
        {
            Accept(outcome, customerId, date, amount);
        }
    }
}
