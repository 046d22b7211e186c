namespace CrmAnalytics.Core.Sampling;

/// <summary>One line of a synthetic order export. <see cref="CustomerId"/> is empty for guest checkouts.</summary>
public readonly record struct SimulatedLine(string OrderId, string CustomerId, DateTime Timestamp, string Sku, int Quantity, double UnitPrice);
