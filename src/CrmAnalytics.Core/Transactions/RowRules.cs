namespace CrmAnalytics.Core.Transactions;

/// <summary>What the row rules decided for one parsed row. Public as the result of <see cref="RowRules.Evaluate"/>.</summary>
public enum RowOutcome : byte
{
    Purchase,
    Return,
    Rejected,
}

/// <summary>
/// The by-design row rules shared by every format, as a pure function so parsing threads can apply them.
/// Malformed values (checked by the sources first) win over by-design exclusions, so a broken row is never hidden as "excluded".
/// Public because the readers of every format (IO project, and the SQL reduction's mirror of them) apply it.
/// </summary>
/// <param name="asOf">Exclusive end of the observation window; null for none.</param>
/// <param name="earliestDate">Rows dated before this are implausible.</param>
/// <param name="latestDate">Rows dated after this are implausible; null for the calendar's last day but one.</param>
/// <param name="cancelledOrderPrefix">Rows whose order id starts with this are returns (cancellations); null or empty for none.</param>
/// <param name="rejectZeroAmount">Whether a zero amount is a <see cref="RejectReason.ZeroAmount"/> reject rather than a purchase.</param>
public sealed class RowRules(DateOnly? asOf, DateOnly earliestDate, DateOnly? latestDate, string? cancelledOrderPrefix, bool rejectZeroAmount)
{
    /// <summary>
    /// Amounts (or quantity × unit price) whose magnitude is above this are <see cref="RejectReason.AmountOutOfRange"/>:
    /// a quadrillion in any currency is a broken cell, and the bound keeps every total finite.
    /// </summary>
    public const double MaxAbsoluteAmount = 1e15;

    private readonly int _asOfDay = asOf?.DayNumber ?? int.MaxValue;
    private readonly int _earliestDay = earliestDate.DayNumber;

    // The calendar's last day is never plausible: the default as-of (the day after the last row) must exist.
    private readonly int _latestDay = Math.Min(latestDate?.DayNumber ?? int.MaxValue, DateOnly.MaxValue.DayNumber - 1);
    private readonly string? _cancelPrefix = string.IsNullOrEmpty(cancelledOrderPrefix) ? null : cancelledOrderPrefix;
    private readonly bool _rejectZero = rejectZeroAmount;

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

        if (Math.Abs(amount) > MaxAbsoluteAmount)
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

/// <summary>The source column names used in reject records; public as an argument of <see cref="RowRules.Evaluate"/>.</summary>
public readonly record struct RowColumns(string CustomerId, string Date, string Amount, string Quantity, string UnitPrice)
{
    /// <summary>The column an amount problem is reported on: the amount, or "quantity*unit_price" when it is a product.</summary>
    public string AmountColumn => Amount.Length > 0 ? Amount : $"{Quantity}*{UnitPrice}";
}
