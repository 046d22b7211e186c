using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// The log-likelihood of BG/NBD or Pareto/NBD with static covariates over weighted <see cref="CovariatePatterns"/>:
/// each pattern is the model without covariates at its own parameters (<see cref="CovariateModel.Individual"/>), so
/// the per-customer likelihoods and their analytic gradients are the models' own, chained through the exponentials.
/// θ = (r, α, third, fourth, γ_purchase…, γ_dropout…).
/// </summary>
/// <remarks>
/// Patterns are summed in fixed chunks, in parallel, and the chunk sums added in chunk order, so that the result does
/// not depend on scheduling (the fits are deterministic, as those without covariates).
/// </remarks>
internal sealed class CovariateLikelihood(CovariateModel model, CovariatePatterns data)
{
    private const int Chunks = 64;

    public double Customers => data.Customers;

    public int Count => data.Count;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var k = theta.Length;
        var parameters = theta.ToArray();
        var sums = new double[Chunks];
        var gradients = new double[Chunks * k];
        var withGradient = !gradient.IsEmpty;
        var per = (data.Count + Chunks - 1) / Chunks;
        Parallel.For(0, Chunks, c =>
        {
            var g = withGradient ? gradients.AsSpan(c * k, k) : default;
            Span<double> local = stackalloc double[4];
            Span<double> individual = stackalloc double[4];
            var end = Math.Min(data.Count, (c + 1) * per);
            var sum = 0.0;
            for (var i = c * per; i < end; i++)
            {
                var purchase = data.Purchase.AsSpan(i * data.PurchaseCount, data.PurchaseCount);
                var dropout = data.Dropout.AsSpan(i * data.DropoutCount, data.DropoutCount);
                var (purchaseScale, dropoutScale) = model.Individual(parameters, purchase, dropout, individual);
                local.Clear();
                double ll;
                try
                {
                    ll = model.LikelihoodLn(individual, data.X[i], data.Tx[i], data.T[i], withGradient ? local : []);
                }
                catch (ArithmeticException)
                {
                    ll = double.NegativeInfinity;
                }

                var w = data.Weight[i];
                sum += w * ll;
                if (withGradient)
                {
                    model.Chain(local, individual, purchaseScale, dropoutScale, purchase, dropout, w, g);
                }
            }

            sums[c] = sum;
        });

        var total = 0.0;
        for (var c = 0; c < Chunks; c++)
        {
            total += sums[c];
            for (var j = 0; j < k && withGradient; j++)
            {
                gradient[j] += gradients[(c * k) + j];
            }
        }

        return total;
    }
}
