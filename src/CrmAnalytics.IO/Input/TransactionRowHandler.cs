using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>What the row rules decided for one parsed row.</summary>
internal enum RowOutcome : byte
{
    Purchase,
    Return,
    Rejected,
}

/// <summary>
/// The by-design row rules shared by every format, as a pure function so parsing threads can apply them.
/// Malformed values (checked by the sources first) win over by-design exclusions, so a broken row is never hidden as "excluded".
/// </summary>
internal sealed class RowRules(TransactionReadOptions options)
{
    private readonly int _asOfDay = options.AsOf?.DayNumber ?? int.MaxValue;
    private readonly int _earliestDay = options.EarliestDate.DayNumber;

    // The calendar's last day is never plausible: the default as-of (the day after the last row) must exist.
    private readonly int _latestDay = Math.Min(options.LatestDate?.DayNumber ?? int.MaxValue, DateOnly.MaxValue.DayNumber - 1);
    private readonly string? _cancelPrefix = string.IsNullOrEmpty(options.CancelledOrderPrefix) ? null : options.CancelledOrderPrefix;
    private readonly bool _rejectZero = options.ZeroAmount == ZeroAmountPolicy.Reject;

    public bool NeedsOrderId => _cancelPrefix is not null;

    /// <summary>Classifies a row whose date and amount parsed; <paramref name="reason"/> and <paramref name="column"/> are set when rejected.</summary>
    public RowOutcome Evaluate(ReadOnlySpan<char> customerId, DateOnly date, double amount, ReadOnlySpan<char> orderId, in RowColumns columns,
        out RejectReason reason, out string column)
    {
        reason = default;
        column = string.Empty;
        if (!double.IsFinite(amount))
        {
            (reason, column) = (RejectReason.NonFiniteAmount, columns.AmountColumn);
            return RowOutcome.Rejected;
        }

        // Bytes that are not valid in the encoding decode to U+FFFD, so caf\xe9 and caf\xe8 would become one customer.
        if (customerId.Contains('\uFFFD'))
        {
            (reason, column) = (RejectReason.InvalidEncoding, columns.CustomerId);
            return RowOutcome.Rejected;
        }

        if (Math.Abs(amount) > TransactionReadOptions.MaxAbsoluteAmount)
        {
            (reason, column) = (RejectReason.AmountOutOfRange, columns.AmountColumn);
            return RowOutcome.Rejected;
        }

        if (date.DayNumber < _earliestDay || date.DayNumber > _latestDay)
        {
            (reason, column) = (RejectReason.ImplausibleDate, columns.Date);
            return RowOutcome.Rejected;
        }

        if (customerId.Trim().IsEmpty)
        {
            (reason, column) = (RejectReason.MissingCustomerId, columns.CustomerId);
            return RowOutcome.Rejected;
        }

        if (date.DayNumber >= _asOfDay)
        {
            (reason, column) = (RejectReason.DateAfterAsOf, columns.Date);
            return RowOutcome.Rejected;
        }

        if (amount == 0 && _rejectZero)
        {
            (reason, column) = (RejectReason.ZeroAmount, columns.AmountColumn);
            return RowOutcome.Rejected;
        }

        var cancelled = _cancelPrefix is not null && orderId.TrimStart().StartsWith(_cancelPrefix, StringComparison.Ordinal);
        return cancelled || amount < 0 ? RowOutcome.Return : RowOutcome.Purchase;
    }
}

/// <summary>Applies row outcomes to the customer accumulators, the row accounting and the reject sink, in input order.</summary>
internal sealed class TransactionRowHandler(TransactionReadOptions options, string fileName, IRejectSink rejects)
{
    private AcceptedRowPipeline? _pipeline;

    public RowRules Rules { get; } = new(options);

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
    internal static void Apply(CustomerSummaryBuilder builder, RowOutcome outcome, int customer, DateOnly date, double amount)
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

/// <summary>The source column names used in reject records.</summary>
internal readonly record struct RowColumns(string CustomerId, string Date, string Amount, string Quantity, string UnitPrice)
{
    /// <summary>The column an amount problem is reported on: the amount, or "quantity*unit_price" when it is a product.</summary>
    public string AmountColumn => Amount.Length > 0 ? Amount : $"{Quantity}*{UnitPrice}";
}
