namespace CrmAnalytics;

/// <summary>One transaction line, as <see cref="Scorecard.ScoreAsync(IEnumerable{Transaction}, ScorecardOptions?, CancellationToken)"/> takes it.</summary>
/// <param name="CustomerId">The customer's id; an empty id is rejected as <c>missing_customer_id</c>.</param>
/// <param name="Date">The day of the transaction (the unit of every model is the day).</param>
/// <param name="Amount">The line amount in the input currency; a negative amount is a return.</param>
/// <param name="OrderId">The order or invoice id; with the preset's cancelled-order prefix (Online Retail's <c>C</c>) it marks a cancellation.</param>
public sealed record Transaction(string CustomerId, DateOnly Date, double Amount, string? OrderId = null);
