namespace CrmAnalytics.Core.Clv.Uncertainty;

/// <summary>
/// Log-gradients of a purchase model's predictions with respect to its log-parameters, by forward differences over
/// models rebuilt at φ_j + h, and the intervals they give (<see cref="ParameterUncertainty"/>). Parameters held fixed by
/// the fit (zero variance, the Pareto/NBD limit's s and β) are not moved.
/// </summary>
/// <remarks>
/// Forward differences cost k + 1 evaluations per prediction instead of central differences' 2k; their relative error,
/// about h = 1e-4 of the gradient, moves a bound by far less than its last written digit.
/// </remarks>
internal sealed class PurchaseUncertainty
{
    /// <summary>The step in ln θ: small against any standard error, large against the predictions' rounding (about 1e-13).</summary>
    private const double Step = 1e-4;

    private readonly IPurchaseModel?[] _plus;

    private PurchaseUncertainty(IPurchaseModel model, ParameterUncertainty parameters)
    {
        Model = model;
        Parameters = parameters;
        var k = parameters.Count;
        _plus = new IPurchaseModel?[k];
        var rebuild = (IReparameterizable)model;
        for (var j = 0; j < k; j++)
        {
            var e = new double[k];
            e[j] = 1;
            if (parameters.Variance(e) > 0)
            {
                _plus[j] = rebuild.At(parameters.Shifted(j, Step));
            }
        }
    }

    public IPurchaseModel Model { get; }

    public ParameterUncertainty Parameters { get; }

    public int Count => Parameters.Count;

    /// <summary>The model's uncertainty at <paramref name="level"/>; null when its fit has no covariance (a singular information matrix).</summary>
    public static PurchaseUncertainty? From(IPurchaseModel model, double level)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ParameterUncertainty.From(model.Fit.Estimates, model.Fit.Covariance, level) is { } parameters ? new PurchaseUncertainty(model, parameters) : null;
    }

    /// <summary>∂ ln f / ∂φ into <paramref name="gradient"/>, for a positive prediction f of the model.</summary>
    public void LogGradient(Func<IPurchaseModel, double> prediction, Span<double> gradient)
    {
        var at = Math.Log(prediction(Model));
        for (var j = 0; j < Count; j++)
        {
            gradient[j] = _plus[j] is { } plus ? (Math.Log(prediction(plus)) - at) / Step : 0;
        }
    }

    /// <summary>
    /// Below this distance from 1, 1 − P is mostly rounding (it carries an absolute error of about 1e-16), and so is its
    /// finite difference over <see cref="Step"/>: at 1 − P = 1e-15, typical of a customer whose last purchase is on the
    /// last day (Pareto/NBD's P is exactly 1 there, computed as 1 − 1e-16 or so), the logit's gradient came out in the
    /// thousands and P(alive)'s lower bound near 1e-100. At 1e-9 the rounding moves the gradient by about 1e-3.
    /// </summary>
    internal const double NearOne = 1e-9;

    /// <summary>
    /// ∂ ln P / ∂φ and ∂ logit P / ∂φ of P = P(alive | x, t_x, T); the logit's is ∂ ln P − ∂ ln(1 − P), and 0 (the
    /// bounds are P̂) when P̂ is within <see cref="NearOne"/> of 1. Returns P̂.
    /// </summary>
    public double AliveGradients(double x, double tx, double T, Span<double> logGradient, Span<double> logitGradient)
    {
        var p = Model.ProbabilityAlive(x, tx, T);
        var (logP, logQ) = (Math.Log(p), Math.Log(1 - p));
        var logitKnown = 1 - p >= NearOne;
        for (var j = 0; j < Count; j++)
        {
            if (_plus[j] is not { } plus || !logitKnown)
            {
                logGradient[j] = logitGradient[j] = 0;
                continue;
            }

            var shifted = plus.ProbabilityAlive(x, tx, T);
            logGradient[j] = (Math.Log(shifted) - logP) / Step;
            logitGradient[j] = logGradient[j] - ((Math.Log(1 - shifted) - logQ) / Step);
        }

        return p;
    }
}
