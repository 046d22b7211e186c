using System.Text;
using CrmAnalytics.Core;

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

    /// <summary>Decimal separator of numbers: '.' or ','. Numbers carry no thousands separators.</summary>
    public char DecimalSeparator { get; init; } = '.';

    /// <summary>Text encoding name (utf-8, latin1, windows-1252, ...); a byte order mark wins.</summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>Rows whose order id starts with this text are cancellations (Online Retail's <c>C</c>).</summary>
    public string? CancelledOrderPrefix { get; init; }

    public ZeroAmountPolicy ZeroAmount { get; init; } = ZeroAmountPolicy.Reject;

    /// <summary>Exclusive end of the observation window; rows on or after it are rejected as <c>date_after_as_of</c>.</summary>
    public DateOnly? AsOf { get; init; }

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

        TextOptionChecks.Validate(Separator, DateFormat, Encoding, errors);

        if (!HasHeader)
        {
            MappingSpec.ValidateColumnNumbers(Mapping.Mapped(), errors);
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
