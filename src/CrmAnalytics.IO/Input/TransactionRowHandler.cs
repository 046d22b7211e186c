using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// The row rules shared by every format: a parsed row becomes a purchase, a return, or a reject with a reason.
/// Malformed values are checked before by-design exclusions, so a broken row is never hidden as "excluded".
/// </summary>
internal sealed class TransactionRowHandler(TransactionReadOptions options, string fileName, IRejectSink rejects)
{
    private readonly int _asOfDay = options.AsOf?.DayNumber ?? int.MaxValue;
    private readonly string? _cancelPrefix = string.IsNullOrEmpty(options.CancelledOrderPrefix) ? null : options.CancelledOrderPrefix;

    public CustomerSummaryBuilder Builder { get; } = new();

    public RowAccounting Accounting { get; } = new();

    public string FileName => fileName;

    public bool NeedsOrderId => _cancelPrefix is not null;

    public void Reject(long line, string column, RejectReason reason, ReadOnlySpan<byte> raw)
    {
        Accounting.Reject(reason);
        rejects.Reject(fileName, line, column, reason, raw);
    }

    /// <summary>Applies the by-design rules to a row whose fields all parsed.</summary>
    public void Handle(long line, ReadOnlySpan<char> customerId, DateOnly date, double amount, ReadOnlySpan<char> orderId, in RowColumns columns, ReadOnlySpan<byte> raw)
    {
        if (!double.IsFinite(amount))
        {
            Reject(line, columns.Amount, RejectReason.NonFiniteAmount, raw);
            return;
        }

        customerId = customerId.Trim();
        if (customerId.IsEmpty)
        {
            Reject(line, columns.CustomerId, RejectReason.MissingCustomerId, raw);
            return;
        }

        if (date.DayNumber >= _asOfDay)
        {
            Reject(line, columns.Date, RejectReason.DateAfterAsOf, raw);
            return;
        }

        if (amount == 0 && options.ZeroAmount == ZeroAmountPolicy.Reject)
        {
            Reject(line, columns.Amount, RejectReason.ZeroAmount, raw);
            return;
        }

        Accounting.Accept();
        var cancelled = _cancelPrefix is not null && orderId.TrimStart().StartsWith(_cancelPrefix, StringComparison.Ordinal);
        if (cancelled || amount < 0)
        {
            Builder.AddReturn(customerId, date, amount);
        }
        else
        {
            Builder.AddPurchase(customerId, date, amount);
        }
    }
}

/// <summary>The source column names used in reject records.</summary>
internal readonly record struct RowColumns(string CustomerId, string Date, string Amount, string Quantity, string UnitPrice);
