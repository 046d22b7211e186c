namespace CrmAnalytics.Core.Clv;

/// <summary>Argument checks shared by the purchase models (<see cref="PurchaseModel{TModel, TParameters}"/>).</summary>
internal static class PurchaseArguments
{
    public static void CheckTime(double t)
    {
        if (!(t >= 0) || !double.IsFinite(t))
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The time must be finite and ≥ 0.");
        }
    }

    public static void CheckHistory(double x, double tx, double T)
    {
        if (!(x >= 0) || !double.IsFinite(x) || !(tx >= 0) || !(tx <= T) || !double.IsFinite(T))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Need x ≥ 0 and 0 ≤ t_x ≤ T, all finite (x={x}, t_x={tx}, T={T}).");
        }
    }

    public static void CheckGradient(Span<double> gradient, IReadOnlyList<string> names)
    {
        if (!gradient.IsEmpty && gradient.Length != names.Count)
        {
            throw new ArgumentException($"The gradient span must be empty or hold {names.Count} values ({string.Join(", ", names)}).", nameof(gradient));
        }
    }
}
