using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>Everything needed to read one transaction export; validated once, before any data is read.</summary>
public sealed record TransactionReadOptions
{
    public TransactionFormat Format { get; init; } = TransactionFormat.Auto;

    public ColumnMapping Mapping { get; init; } = new();

    /// <summary>Whether the first line names the columns. Without a header, the mapping holds 1-based column numbers.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>CSV field separator.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Exact date format (.NET custom format, e.g. <c>yyyyMMdd</c> or <c>dd/MM/yyyy HH:mm</c>). Null means ISO 8601:
    /// <c>yyyy-MM-dd</c>, optionally followed by a time after a space or <c>T</c>, which is ignored (days are the unit).
    /// </summary>
    public string? DateFormat { get; init; }

    /// <summary>Decimal separator of numbers: '.' or ','.</summary>
    public char DecimalSeparator { get; init; } = '.';

    /// <summary>
    /// Digit-group separator numbers may carry: ',', '.', a space or an apostrophe (<c>1,234.50</c>, <c>1.234,50</c>,
    /// <c>1 234,50</c>, <c>1'234.50</c>); null (the default) means numbers carry none and <c>1,234</c> is unparseable.
    /// </summary>
    public char? ThousandsSeparator { get; init; }

    /// <summary>The digit-group separators <see cref="ThousandsSeparator"/> accepts.</summary>
    public static IReadOnlyList<char> ThousandsSeparators { get; } = [',', '.', ' ', '\''];

    /// <summary>Text encoding name (utf-8, latin1, windows-1252, ...); a byte order mark wins.</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>Rows whose order id starts with this text are cancellations (Online Retail's <c>C</c>).</summary>
    public string? CancelledOrderPrefix { get; init; }

    public ZeroAmountPolicy ZeroAmount { get; init; } = ZeroAmountPolicy.Reject;

    /// <summary>Exclusive end of the observation window; rows on or after it are rejected as <c>date_after_as_of</c>.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Rows dated before this are <c>implausible_date</c> rejects (malformed): placeholder dates such as 0001-01-01 or 1900-01-01.</summary>
    public DateOnly EarliestDate { get; init; } = DefaultEarliestDate;

    /// <summary>
    /// Rows dated after this are <c>implausible_date</c> rejects (malformed), so one row dated years ahead cannot move the
    /// as-of date for everyone; null means the calendar's last day but one (the CLI sets the run date or --as-of plus a margin).
    /// </summary>
    public DateOnly? LatestDate { get; init; }

    /// <summary>The default <see cref="EarliestDate"/>: the Unix epoch, before any transaction system that exports to a file.</summary>
    public static DateOnly DefaultEarliestDate { get; } = new(1970, 1, 1);

    /// <summary>
    /// Amounts (or quantity × unit price) whose magnitude is above this are <c>amount_out_of_range</c> rejects (malformed):
    /// a quadrillion in any currency is a broken cell, and the bound keeps every total finite (sums of up to 2^63 such rows stay below 10^35).
    /// </summary>
    public const double MaxAbsoluteAmount = RowRules.MaxAbsoluteAmount;

    /// <summary>
    /// Threads for reading delimited text: 1 parses and updates the customer table on the calling thread; 0 (automatic)
    /// or more also updates the table on a second thread when there is more than one core. Results do not depend on it.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>Every problem with these options, reported together.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Mapping.Validate());
        if (DecimalSeparator is not ('.' or ','))
        {
            errors.Add($"Decimal separator must be '.' or ','.");
        }

        if (Separator == DecimalSeparator && Format != TransactionFormat.Parquet)
        {
            errors.Add("The separator and the decimal separator must differ.");
        }

        if (ThousandsSeparator is { } thousands && (!ThousandsSeparators.Contains(thousands) || thousands == DecimalSeparator))
        {
            errors.Add("The thousands separator must be ',', '.', a space or an apostrophe, and differ from the decimal separator.");
        }

        TextOptionChecks.Validate(Separator, DateFormat, Encoding, errors);

        if (!HasHeader)
        {
            MappingSpec.ValidateColumnNumbers(Mapping.Mapped(), errors);
        }

        if (LatestDate is { } latest && latest < EarliestDate)
        {
            errors.Add($"The latest plausible date {latest:yyyy-MM-dd} is before the earliest {EarliestDate:yyyy-MM-dd}.");
        }

        if (Threads < 0)
        {
            errors.Add("Threads must be 0 (automatic) or more.");
        }

        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }
    }

    internal static Encoding? TryGetEncoding(string name)
    {
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return System.Text.Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
