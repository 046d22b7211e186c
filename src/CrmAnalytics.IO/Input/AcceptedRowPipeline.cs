using System.Collections.Concurrent;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Applies accepted rows to a <see cref="CustomerSummaryBuilder"/> on a second thread, in input order, while the reading
/// thread parses the next rows. The customer table gets a core of its own, and every sum is added in the same order as
/// on one thread, so the summaries do not depend on the thread count.
/// </summary>
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

    /// <summary>Accepted rows in input order, customer ids packed into one character buffer.</summary>
    private sealed class AcceptedRowBatch
    {
        private const int Capacity = 1 << 14;

        private readonly RowOutcome[] _outcomes = new RowOutcome[Capacity];
        private readonly int[] _days = new int[Capacity];
        private readonly double[] _amounts = new double[Capacity];
        private readonly int[] _idEnds = new int[Capacity];
        private char[] _ids = new char[Capacity * 16];
        private int _chars;

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public void Add(RowOutcome outcome, ReadOnlySpan<char> customerId, DateOnly date, double amount)
        {
            if (_chars + customerId.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _chars + customerId.Length));
            }

            customerId.CopyTo(_ids.AsSpan(_chars));
            _chars += customerId.Length;
            _outcomes[Count] = outcome;
            _days[Count] = date.DayNumber;
            _amounts[Count] = amount;
            _idEnds[Count] = _chars;
            Count++;
        }

        /// <summary>Applies the rows in order and empties the batch.</summary>
        public void ApplyTo(CustomerSummaryBuilder builder)
        {
            var start = 0;
            for (var i = 0; i < Count; i++)
            {
                var id = _ids.AsSpan(start, _idEnds[i] - start);
                start = _idEnds[i];
                TransactionRowHandler.Apply(builder, _outcomes[i], id, DateOnly.FromDayNumber(_days[i]), _amounts[i]);
            }

            Count = 0;
            _chars = 0;
        }
    }
}
