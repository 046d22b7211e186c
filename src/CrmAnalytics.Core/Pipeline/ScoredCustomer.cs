using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>
/// One row of the customer table: the summary plus every model's columns. It is a view of row <c>i</c> of a
/// <see cref="ScoredCustomers"/> table, which holds the columns; the row itself holds nothing else.
/// </summary>
public readonly struct ScoredCustomer : IEquatable<ScoredCustomer>
{
    private readonly ScoredCustomers _table;
    private readonly int _index;

    internal ScoredCustomer(ScoredCustomers table, int index) => (_table, _index) = (table, index);

    /// <summary>The customer's summary at the as-of date.</summary>
    public CustomerSummary Summary => _table.Summaries[_index];

    /// <summary>The customer's RFM scores.</summary>
    public RfmScore Rfm => _table.Rfm[_index];

    /// <summary>The first matching RFM rule, or the "Others" rule when none matches.</summary>
    public RfmSegmentRule Segment => _table.SegmentRule(_index);

    /// <summary>The customer's lifecycle stage.</summary>
    public LifecycleStage Stage => _table.Stages[_index];

    /// <summary>Whether the customer is in the top share (default 20%) by monetary total.</summary>
    public bool TopValueTier => _table.TopValueTier[_index];

    /// <summary>The CLV columns, when a purchase model was fitted in this run.</summary>
    public CustomerClv? Clv => _table.Clv is { } clv ? clv[_index] : null;

    /// <summary>
    /// One value of the CLV columns, read in place; null when no purchase model was fitted. The record is 136 bytes with
    /// its interval, and the writers read up to 15 values of it per customer: through <see cref="Clv"/> each read copied
    /// it twice.
    /// </summary>
    public double? ReadClv(CustomerClvField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return _table.Clv switch
        {
            null => null,
            CustomerClv[] rows => field(in rows[_index]),
            var rows => field(rows[_index]),
        };
    }

    /// <summary>The churn columns, when a churn model scored this run.</summary>
    public CustomerChurn? Churn => _table.Churn?[_index];

    /// <summary>The customer's latest survey response before the as-of date, when surveys were given and they answered.</summary>
    public Nps.CustomerNps? Nps => _table.Nps?[_index];

    /// <summary>Whether both are the same row of the same table.</summary>
    public bool Equals(ScoredCustomer other) => ReferenceEquals(_table, other._table) && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ScoredCustomer other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_table, _index);

    /// <summary>Whether both are the same row of the same table.</summary>
    public static bool operator ==(ScoredCustomer left, ScoredCustomer right) => left.Equals(right);

    /// <summary>Whether the rows differ.</summary>
    public static bool operator !=(ScoredCustomer left, ScoredCustomer right) => !left.Equals(right);
}
