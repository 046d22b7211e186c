using System.Collections.Concurrent;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Splits the customer table's work between the reading thread, which parses rows, and a second thread, which numbers
/// their customers and adds the rows to the day ledgers, a batch at a time in input order. Customers are numbered and
/// every sum is added in the same order as on one thread, so the summaries do not depend on the thread count.
/// </summary>
/// <remarks>
/// Numbering and adding are the lookups into tables of a million customers, each a cache miss; the batch methods of
/// <see cref="CustomerSummaryBuilder"/> prefetch them rows ahead. With the numbering on the reading thread (one lookup
/// at a time), that thread bounded the read: on the 10M-line export 3.5 CPU-s of parsing and numbering against 1.7 of adding.
/// </remarks>
internal sealed class AcceptedRowPipeline : IDisposable
{
    /// <summary>Batches in flight: enough to ride out a slow batch, few enough that memory stays flat.</summary>
    private const int BatchesInFlight = 4;

    private readonly BlockingCollection<AcceptedRowBatch> _full = new(BatchesInFlight);
    private readonly ConcurrentQueue<AcceptedRowBatch> _free = new();
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _consumer;
    private AcceptedRowBatch _current = new();

    public AcceptedRowPipeline(CustomerSummaryBuilder builder)
    {
        _consumer = Task.Factory.StartNew(() => Consume(builder), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <param name="customerId">The trimmed customer id.</param>
    public void Add(RowOutcome outcome, ReadOnlySpan<char> customerId, DateOnly date, double amount)
    {
        _current.Add(outcome, customerId, date, amount);
        if (_current.IsFull)
        {
            Publish();
        }
    }

    /// <summary>Waits until every row added so far is in the builder.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            Publish();
        }

        _full.CompleteAdding();
        _consumer.GetAwaiter().GetResult();
    }

    /// <summary>Stops the consumer thread; after a failure while reading, the builder is left partly filled.</summary>
    public void Dispose()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }

        _consumer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Wait();
        _full.Dispose();
        _failed.Dispose();
    }

    private void Publish()
    {
        try
        {
            _full.Add(_current, _failed.Token);
        }
        catch (OperationCanceledException)
        {
            _consumer.GetAwaiter().GetResult();
            throw;
        }

        _current = _free.TryDequeue(out var recycled) ? recycled : new AcceptedRowBatch();
    }

    private void Consume(CustomerSummaryBuilder builder)
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable())
            {
                batch.ApplyTo(builder);
                _free.Enqueue(batch);
            }
        }
        catch
        {
            _failed.Cancel();
            throw;
        }
    }

    /// <summary>Accepted rows in input order, with their customers' ids.</summary>
    private sealed class AcceptedRowBatch
    {
        private const int Capacity = 1 << 14;

        private readonly bool[] _returns = new bool[Capacity];
        private readonly int[] _idEnds = new int[Capacity];
        private readonly int[] _customers = new int[Capacity];
        private readonly int[] _days = new int[Capacity];
        private readonly double[] _amounts = new double[Capacity];
        private char[] _ids = new char[Capacity * 8];

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public void Add(RowOutcome outcome, ReadOnlySpan<char> customerId, DateOnly date, double amount)
        {
            var start = Count == 0 ? 0 : _idEnds[Count - 1];
            if (start + customerId.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(2 * _ids.Length, start + customerId.Length));
            }

            customerId.CopyTo(_ids.AsSpan(start));
            _idEnds[Count] = start + customerId.Length;
            _returns[Count] = outcome == RowOutcome.Return;
            _days[Count] = date.DayNumber;
            _amounts[Count] = amount;
            Count++;
        }

        /// <summary>Numbers the rows' customers and adds the rows, in order, and empties the batch.</summary>
        public void ApplyTo(CustomerSummaryBuilder builder)
        {
            var n = Count;
            builder.NumberCustomers(_ids, _idEnds.AsSpan(0, n), _customers.AsSpan(0, n));
            builder.AddRows(_returns.AsSpan(0, n), _customers.AsSpan(0, n), _days.AsSpan(0, n), _amounts.AsSpan(0, n));
            Count = 0;
        }
    }
}
