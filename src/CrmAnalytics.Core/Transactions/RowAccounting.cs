namespace CrmAnalytics.Core.Transactions;

/// <summary>
/// Counts of every row read from one input: <c>RowsRead = RowsAccepted + RowsRejected</c>, with a count for each reason.
/// Not thread-safe; parallel readers keep one each and <see cref="Add"/> them.
/// </summary>
public sealed class RowAccounting
{
    private readonly long[] _byReason = new long[RejectReasons.All.Count];

    public long RowsAccepted { get; private set; }

    public long RowsRejected { get; private set; }

    public long RowsRead => RowsAccepted + RowsRejected;

    /// <summary>Rejected rows whose reason is <see cref="RejectKind.Malformed"/>.</summary>
    public long RowsMalformed { get; private set; }

    /// <summary>Rejected rows excluded by design that lose data (<see cref="RejectReasons.CountsAsDataLoss"/>): no customer id, zero amount.</summary>
    public long RowsExcluded { get; private set; }

    /// <summary>Excluded rows (<see cref="RowsExcluded"/>) as a share of rows read; 0 for an empty input.</summary>
    public double ExcludedRate => RowsRead == 0 ? 0 : (double)RowsExcluded / RowsRead;

    public void Accept() => RowsAccepted++;

    /// <summary>Counts <paramref name="rows"/> accepted rows at once (an engine's folded customer-day; public for the SQL engines of the IO project).</summary>
    public void Accept(long rows) => RowsAccepted += rows;

    public void Reject(RejectReason reason) => Reject(reason, 1);

    /// <summary>Counts <paramref name="rows"/> rows rejected for <paramref name="reason"/> at once (an engine's count per reason; public for the SQL engines of the IO project).</summary>
    public void Reject(RejectReason reason, long rows)
    {
        RowsRejected += rows;
        _byReason[(int)reason] += rows;
        if (reason.Kind() == RejectKind.Malformed)
        {
            RowsMalformed += rows;
        }
        else if (reason.CountsAsDataLoss())
        {
            RowsExcluded += rows;
        }
    }

    public long Count(RejectReason reason) => _byReason[(int)reason];

    /// <summary>Reject counts by reason code, only reasons that occurred, in enum order.</summary>
    public IReadOnlyDictionary<string, long> ByReason()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in RejectReasons.All)
        {
            if (_byReason[(int)reason] > 0)
            {
                result[reason.Code()] = _byReason[(int)reason];
            }
        }

        return result;
    }

    /// <summary>Malformed rows as a share of rows read; 0 for an empty input.</summary>
    public double MalformedRate => RowsRead == 0 ? 0 : (double)RowsMalformed / RowsRead;

    public void Add(RowAccounting other)
    {
        RowsAccepted += other.RowsAccepted;
        RowsRejected += other.RowsRejected;
        RowsMalformed += other.RowsMalformed;
        RowsExcluded += other.RowsExcluded;
        for (var i = 0; i < _byReason.Length; i++)
        {
            _byReason[i] += other._byReason[i];
        }
    }
}
