using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Scoring;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// How static covariates enter BG/NBD and Pareto/NBD, as CLVTools' <c>SetStaticCovariates</c> models do
/// (src/bgnbd.cpp <c>bgnbd_staticcov_alpha_i</c>, <c>_a_i</c>, <c>_b_i</c>; src/pnbd.cpp <c>pnbd_staticcov_alpha_i</c>,
/// <c>_beta_i</c>): a customer with purchase covariates x and dropout covariates z has
/// <list type="bullet">
/// <item>α_i = α·exp(−γ_pᵀx) in both models: E[λ] = r/α_i grows by the factor exp(γ_pᵀx), so γ_p = ln 1.3 is "buys 30 % more often";</item>
/// <item>Pareto/NBD: β_i = β·exp(−γ_dᵀz): E[μ] = s/β_i grows by exp(γ_dᵀz), so a positive γ_d is a shorter expected lifetime;</item>
/// <item>BG/NBD: a_i = a·exp(γ_dᵀz) and b_i = b·exp(γ_dᵀz). The mean dropout probability a/(a+b) is unchanged; the
/// Beta's concentration a+b grows by exp(γ_dᵀz), so a positive γ_d makes the group's dropout probabilities more
/// alike around the same mean. This is CLVTools' choice, kept so that coefficients can be compared with CLVTools.</item>
/// </list>
/// </summary>
internal sealed class CovariateModel
{
    private readonly bool _pareto;

    private CovariateModel(string name, IReadOnlyList<string> parameterNames, bool pareto)
    {
        Name = name;
        ParameterNames = parameterNames;
        _pareto = pareto;
    }

    public static CovariateModel BgNbd { get; } = new("bgnbd", BetaGeometricFit.ParameterNames, pareto: false);

    public static CovariateModel ParetoNbd { get; } = new("paretonbd", ParetoNbdFit.ParameterNames, pareto: true);

    public string Name { get; }

    public IReadOnlyList<string> ParameterNames { get; }

    /// <exception cref="ConfigurationException">Not bgnbd or paretonbd.</exception>
    public static CovariateModel For(string name) => name switch
    {
        "bgnbd" => BgNbd,
        "paretonbd" => ParetoNbd,
        _ => throw new ConfigurationException($"CLV covariates are supported for bgnbd and paretonbd, not {name}: name one with {nameof(ClvScoringOptions)}.{nameof(ClvScoringOptions.Model)}."),
    };

    /// <summary>Writes the customer's (r, α_i, third_i, fourth_i) into <paramref name="individual"/>; returns exp(−γ_pᵀx) and the dropout factor.</summary>
    public (double PurchaseScale, double DropoutScale) Individual(ReadOnlySpan<double> theta, ReadOnlySpan<double> purchase, ReadOnlySpan<double> dropout, Span<double> individual)
    {
        var purchaseScale = Math.Exp(-Dot(theta.Slice(4, purchase.Length), purchase));
        var dropoutLinear = Dot(theta.Slice(4 + purchase.Length, dropout.Length), dropout);
        var dropoutScale = Math.Exp(_pareto ? -dropoutLinear : dropoutLinear);
        individual[0] = theta[0];
        individual[1] = theta[1] * purchaseScale;
        individual[2] = _pareto ? theta[2] : theta[2] * dropoutScale;
        individual[3] = theta[3] * dropoutScale;
        return (purchaseScale, dropoutScale);
    }

    /// <summary>
    /// The covariance of the customer's (r, α_i, third_i, fourth_i) by the delta method, A Σ Aᵀ with A = ∂(r, α_i, …)/∂θ
    /// (4 × k, the derivatives of <see cref="Individual"/>, as in <see cref="Chain"/>) and Σ = <paramref name="covariance"/>
    /// of the full fit (k × k, row-major); written row-major into <paramref name="individualCovariance"/> (4 × 4).
    /// </summary>
    public void IndividualCovariance(ReadOnlySpan<double> theta, ReadOnlySpan<double> purchase, ReadOnlySpan<double> dropout, IReadOnlyList<double> covariance,
        Span<double> individualCovariance)
    {
        var k = theta.Length;
        Span<double> individual = stackalloc double[4];
        var (purchaseScale, dropoutScale) = Individual(theta, purchase, dropout, individual);
        var a = new double[4 * k];
        a[0] = 1;
        a[k + 1] = purchaseScale;
        a[(2 * k) + 2] = _pareto ? 1 : dropoutScale;
        a[(3 * k) + 3] = dropoutScale;
        for (var j = 0; j < purchase.Length; j++)
        {
            a[k + 4 + j] = -individual[1] * purchase[j];
        }

        for (var j = 0; j < dropout.Length; j++)
        {
            var column = 4 + purchase.Length + j;
            if (_pareto)
            {
                a[(3 * k) + column] = -individual[3] * dropout[j];
            }
            else
            {
                a[(2 * k) + column] = individual[2] * dropout[j];
                a[(3 * k) + column] = individual[3] * dropout[j];
            }
        }

        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                double sum = 0;
                for (var i = 0; i < k; i++)
                {
                    for (var j = 0; j < k; j++)
                    {
                        sum += a[(r * k) + i] * covariance[(i * k) + j] * a[(c * k) + j];
                    }
                }

                individualCovariance[(r * 4) + c] = sum;
            }
        }
    }

    public double LikelihoodLn(ReadOnlySpan<double> p, double x, double tx, double T, Span<double> gradient) =>
        _pareto
            ? ParetoNbdFormulas.LikelihoodLn(p[0], p[1], p[2], p[3], x, tx, T, gradient)
            : BetaGeometric.LikelihoodLn(p[0], p[1], p[2], p[3], x, tx, T, 0, gradient);

    /// <summary>Adds w·∂ln L/∂θ into <paramref name="gradient"/>, from the gradient <paramref name="local"/> in the individual parameters.</summary>
    public void Chain(ReadOnlySpan<double> local, ReadOnlySpan<double> individual, double purchaseScale, double dropoutScale,
        ReadOnlySpan<double> purchase, ReadOnlySpan<double> dropout, double w, Span<double> gradient)
    {
        gradient[0] += w * local[0];
        gradient[1] += w * local[1] * purchaseScale;
        gradient[2] += w * (_pareto ? local[2] : local[2] * dropoutScale);
        gradient[3] += w * local[3] * dropoutScale;

        // ∂α_i/∂γ_p = −α_i·x; Pareto/NBD ∂β_i/∂γ_d = −β_i·z; BG/NBD ∂a_i/∂γ_d = a_i·z and ∂b_i/∂γ_d = b_i·z.
        var purchaseSlope = -w * local[1] * individual[1];
        for (var j = 0; j < purchase.Length; j++)
        {
            gradient[4 + j] += purchaseSlope * purchase[j];
        }

        var dropoutSlope = _pareto ? -w * local[3] * individual[3] : w * ((local[2] * individual[2]) + (local[3] * individual[3]));
        for (var j = 0; j < dropout.Length; j++)
        {
            gradient[4 + purchase.Length + j] += dropoutSlope * dropout[j];
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
