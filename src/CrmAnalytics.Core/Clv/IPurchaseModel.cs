using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// A fitted BTYD purchase model (BG/NBD, Pareto/NBD, MBG/NBD). Times are in the model's unit (that of the patterns it
/// was fitted on, weeks by default).
/// </summary>
public interface IPurchaseModel
{
    /// <summary>"bgnbd", "paretonbd" or "mbgnbd".</summary>
    string Name { get; }

    FitResult Fit { get; }

    /// <summary>E[X(t)]: expected purchases in (0, t] of a customer just acquired at time 0.</summary>
    double ExpectedPurchases(double t);

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    double ConditionalExpectedPurchases(double t, double x, double tx, double T);

    /// <summary>
    /// The same number as <see cref="ConditionalExpectedPurchases(double, double, double, double)"/>, given
    /// <paramref name="probabilityAlive"/> = <see cref="ProbabilityAlive"/>(x, t_x, T) of the same customer: Pareto/NBD's
    /// formula is P(alive) times <see cref="ExpectedPurchasesIfAlive"/>, so it does not compute P(alive) twice.
    /// </summary>
    double ConditionalExpectedPurchases(double t, double x, double tx, double T, double probabilityAlive) => ConditionalExpectedPurchases(t, x, tx, T);

    /// <summary>
    /// E[Y(t) | alive at T, x, T]: expected purchases in (T, T + t] of a customer known to be alive at T. It depends on
    /// the history only through x and T (the posterior of the purchase rate), so
    /// E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · this, and scoring can share it between customers with equal (x, T).
    /// </summary>
    double ExpectedPurchasesIfAlive(double t, double x, double T);

    /// <summary>P(alive | x, t_x, T) at the end of the observation window.</summary>
    double ProbabilityAlive(double x, double tx, double T);

    /// <summary>P(X(t) = n) for a customer just acquired at time 0.</summary>
    double ProbabilityOfPurchases(int n, double t);
}
