namespace CrmAnalytics.Core.Transactions;

/// <summary>Why an input row was not accepted. The snake_case name is the value written to rejects.csv and summary.json.</summary>
public enum RejectReason
{
    /// <summary>The row's customer id is empty (guest checkout). Well-formed; excluded by design.</summary>
    MissingCustomerId,

    /// <summary>The amount is exactly zero (free items, price adjustments). Well-formed; excluded by design.</summary>
    ZeroAmount,

    /// <summary>The date falls on or after the as-of date (outside the observation window). Excluded by design.</summary>
    DateAfterAsOf,

    /// <summary>The date cell is empty or does not match the date format.</summary>
    UnparseableDate,

    /// <summary>The amount, quantity or unit price cell is empty or not a number in the configured culture.</summary>
    UnparseableAmount,

    /// <summary>The amount parsed but is infinite or NaN (or overflows when quantity × unit price is taken).</summary>
    NonFiniteAmount,

    /// <summary>The amount's magnitude is above the documented limit (10^15), so totals could not stay finite.</summary>
    AmountOutOfRange,

    /// <summary>The date parsed but is before the earliest or after the latest plausible date (--earliest-date, --future-days).</summary>
    ImplausibleDate,

    /// <summary>The row has a different number of fields from the header.</summary>
    WrongColumnCount,

    /// <summary>The row breaks the CSV quoting rules (stray or unterminated quote).</summary>
    MalformedQuoting,

    /// <summary>A customer attributes row repeats an id already read; the first row wins. Malformed.</summary>
    DuplicateCustomerId,

    /// <summary>Survey: the score is empty or a missing-value marker such as NA (the question was skipped). Excluded by design.</summary>
    MissingScore,

    /// <summary>Survey: the score is not a number.</summary>
    UnparseableScore,

    /// <summary>Survey: the score is a number but not a whole one (7.5); never rounded.</summary>
    NonIntegerScore,

    /// <summary>Survey: the score is outside 0–10; never clamped.</summary>
    ScoreOutOfRange,

    /// <summary>
    /// The customer id is not valid text in the file's encoding (or holds U+FFFD, the replacement character): decoded, it
    /// could merge distinct customers. Malformed.
    /// </summary>
    InvalidEncoding,
}

/// <summary>Whether a reject reason counts toward <c>--max-reject-rate</c>.</summary>
public enum RejectKind
{
    /// <summary>The row is broken: it counts toward the reject-rate threshold.</summary>
    Malformed,

    /// <summary>The row is well-formed but unusable by design: reported, not counted toward the threshold.</summary>
    Excluded,
}

public static class RejectReasons
{
    public static RejectKind Kind(this RejectReason reason) => reason switch
    {
        RejectReason.MissingCustomerId or RejectReason.ZeroAmount or RejectReason.DateAfterAsOf or RejectReason.MissingScore => RejectKind.Excluded,
        _ => RejectKind.Malformed,
    };

    /// <summary>The stable snake_case code of a reason, as written to rejects.csv and summary.json.</summary>
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.MissingCustomerId => "missing_customer_id",
        RejectReason.ZeroAmount => "zero_amount",
        RejectReason.DateAfterAsOf => "date_after_as_of",
        RejectReason.UnparseableDate => "unparseable_date",
        RejectReason.UnparseableAmount => "unparseable_amount",
        RejectReason.NonFiniteAmount => "non_finite_amount",
        RejectReason.AmountOutOfRange => "amount_out_of_range",
        RejectReason.ImplausibleDate => "implausible_date",
        RejectReason.WrongColumnCount => "wrong_column_count",
        RejectReason.MalformedQuoting => "malformed_quoting",
        RejectReason.DuplicateCustomerId => "duplicate_customer_id",
        RejectReason.MissingScore => "missing_score",
        RejectReason.UnparseableScore => "unparseable_score",
        RejectReason.NonIntegerScore => "non_integer_score",
        RejectReason.ScoreOutOfRange => "score_out_of_range",
        RejectReason.InvalidEncoding => "invalid_encoding",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static IReadOnlyList<RejectReason> All { get; } = Enum.GetValues<RejectReason>();

    /// <summary>
    /// Whether a by-design exclusion counts toward <c>--max-excluded-rate</c>: every excluded reason but
    /// <c>date_after_as_of</c>, which a backfill's earlier --as-of produces on purpose.
    /// </summary>
    public static bool CountsAsDataLoss(this RejectReason reason) => reason.Kind() == RejectKind.Excluded && reason != RejectReason.DateAfterAsOf;
}
