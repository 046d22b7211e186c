using System.Collections.Concurrent;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Splits the customer table's work between the reading thread, which parses rows and numbers their customers, and a
/// second thread, which adds the rows to the day ledgers in input order. Every sum is added in the same order as on one
/// thread, so the summaries do not depend on the thread count.
/// </summary>
internal sealed class AcceptedRowPipeline : IDisposable
{
    /// <summary>Batches in flight: enough to ride out a slow batch, few enough that memory stays flat.</summary>
    private const int BatchesInFlight = 4;

    private readonly BlockingCollection<AcceptedRowBatch> _full = new(BatchesInFlight);
    private readonly ConcurrentQueue<AcceptedRowBatch> _free = new();
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _consumer;
    private readonly CustomerSummaryBuilder _builder;
    private AcceptedRowBatch _current = new();

    public AcceptedRowPipeline(CustomerSummaryBuilder builder)
    {
        _builder = builder;
        _consumer = Task.Factory.StartNew(() => Consume(builder), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <param name="customerId">The trimmed customer id.</param>
    public void Add(RowOutcome outcome, ReadOnlySpan<char> customerId, DateOnly date, double amount)
    {
        _current.Add(outcome, _builder.Customer(customerId), date, amount);
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

    /// <summary>Accepted rows in input order, with their customers' numbers.</summary>
    private sealed class AcceptedRowBatch
    {
        private const int Capacity = 1 << 14;

        private readonly RowOutcome[] _outcomes = new RowOutcome[Capacity];
        private readonly int[] _customers = new int[Capacity];
        private readonly int[] _days = new int[Capacity];
        private readonly double[] _amounts = new double[Capacity];

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public void Add(RowOutcome outcome, int customer, DateOnly date, double amount)
        {
            _outcomes[Count] = outcome;
            _customers[Count] = customer;
            _days[Count] = date.DayNumber;
            _amounts[Count] = amount;
            Count++;
        }

        /// <summary>Applies the rows in order and empties the batch.</summary>
        public void ApplyTo(CustomerSummaryBuilder builder)
        {
            for (var i = 0; i < Count; i++)
            {
                TransactionRowHandler.Apply(builder, _outcomes[i], _customers[i], DateOnly.FromDayNumber(_days[i]), _amounts[i]);
            }

            Count = 0;
        }
    }
}
