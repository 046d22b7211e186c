using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>
/// Log-likelihood of a model over weighted data: returns Σ w·LL and writes Σ w·∂LL/∂θ into the gradient span
/// (natural parameters θ, all positive).
/// </summary>
internal delegate double LogLikelihoodFunction(ReadOnlySpan<double> theta, Span<double> gradient);

/// <summary>
/// Maximum likelihood in log-parameter space (θ = exp φ keeps every parameter positive) with BFGS on analytic gradients,
/// falling back to Nelder-Mead. Trailing <see cref="FreeParameters"/> (covariate coefficients) are on the real line
/// instead, with their own L2 penalty. Non-convergence is a <see cref="ModelFitException"/>, never a silent number. A
/// likelihood that throws an <see cref="OperationCanceledException"/> stops the fit (the optimizer may wrap it): the caller
/// decided the fit is over, so there is no fallback.
/// </summary>
internal static class MaximumLikelihood
{
    public static FitResult Fit(string model, IReadOnlyList<string> names, LogLikelihoodFunction logLikelihood, ReadOnlySpan<double> start,
        double customers, int patterns, FitOptions options) =>
        Fit(model, names, logLikelihood, start, customers, patterns, options, default);

    /// <summary>As the fit above, with the last <see cref="FreeParameters.Count"/> parameters unconstrained (not log-transformed).</summary>
    public static FitResult Fit(string model, IReadOnlyList<string> names, LogLikelihoodFunction logLikelihood, ReadOnlySpan<double> start,
        double customers, int patterns, FitOptions options, FreeParameters free)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(logLikelihood);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        if (customers <= 0)
        {
            throw new ModelFitException($"{model}: no customers to fit (no repeat purchase history before the as-of date). Use --clv-model none to score without the CLV models.");
        }

        var k = names.Count;
        var positive = k - free.Count;
        var scale = 1.0 / customers;
        var penalizer = options.Penalizer;
        var theta = new double[k];
        var grad = new double[k];

        // Objective in φ = log θ: f = −LL/N + c·Σθ²; ∂f/∂φ_i = (−∂LL/∂θ_i / N + 2cθ_i)·θ_i.
        // Free parameters γ = φ: f gains λ·Σγ² (CLVTools' regularization of covariates); ∂f/∂γ = −∂LL/∂γ / N + 2λγ.
        (double, Vector<double>) Objective(Vector<double> phi)
        {
            for (var i = 0; i < k; i++)
            {
                theta[i] = i < positive ? Math.Exp(phi[i]) : phi[i];
            }

            Array.Clear(grad);
            var ll = logLikelihood(theta, grad);
            var value = -ll * scale;
            var g = Vector<double>.Build.Dense(k);
            for (var i = 0; i < k; i++)
            {
                if (i < positive)
                {
                    value += penalizer * theta[i] * theta[i];
                    g[i] = ((-grad[i] * scale) + (2 * penalizer * theta[i])) * theta[i];
                }
                else
                {
                    value += free.Penalizer * theta[i] * theta[i];
                    g[i] = (-grad[i] * scale) + (2 * free.Penalizer * theta[i]);
                }
            }

            if (!double.IsFinite(value))
            {
                // Steers line searches away from regions where the likelihood under- or overflows.
                value = double.MaxValue / 4;
                g.Clear();
            }

            return (value, g);
        }

        var phi0 = Vector<double>.Build.Dense(k);
        for (var i = 0; i < k; i++)
        {
            if (!double.IsFinite(start[i]) || (i < positive && !(start[i] > 0)))
            {
                throw new ArgumentOutOfRangeException(nameof(start), "Start values must be finite, and positive but for the free parameters.");
            }

            phi0[i] = i < positive ? Math.Log(start[i]) : start[i];
        }

        Vector<double>? best = null;
        int iterations;
        string optimizer;
        string exit;
        try
        {
            var bfgs = new BfgsMinimizer(options.GradientTolerance, 1e-12, 1e-14, options.MaxIterations);
            var result = bfgs.FindMinimum(ObjectiveFunction.Gradient(Objective), phi0);
            best = result.MinimizingPoint;
            iterations = result.Iterations;
            optimizer = "BFGS";
            exit = result.ReasonForExit.ToString();
        }
        catch (Exception ex) when (ex is MaximumIterationsException or OptimizationException or ArgumentException or InvalidOperationException
                                   && ex.InnerException is not OperationCanceledException)
        {
            try
            {
                var simplex = new NelderMeadSimplex(1e-12, options.MaxIterations * 20);
                var result = simplex.FindMinimum(ObjectiveFunction.Value(v => Objective(v).Item1), phi0);
                best = result.MinimizingPoint;
                iterations = result.Iterations;
                optimizer = "Nelder-Mead";
                exit = result.ReasonForExit.ToString();
            }
            catch (Exception inner) when (inner is MaximumIterationsException or OptimizationException or ArgumentException or InvalidOperationException)
            {
                throw new ModelFitException($"{model}: the fit did not converge (BFGS: {ex.Message}; Nelder-Mead: {inner.Message}).", inner);
            }
        }

        var estimates = new double[k];
        for (var i = 0; i < k; i++)
        {
            estimates[i] = i < positive ? Math.Exp(best[i]) : best[i];
        }

        Array.Clear(grad);
        var finalLl = logLikelihood(estimates, grad);
        if (!double.IsFinite(finalLl) || estimates.Select((e, i) => !double.IsFinite(e) || (i < positive && e <= 0)).Any(bad => bad))
        {
            throw new ModelFitException($"{model}: the fit ended at non-finite values; try a penalizer or check the data.");
        }

        var (standardErrors, covariance) = options.StandardErrors ? Information(logLikelihood, estimates, positive) : (Enumerable.Repeat(double.NaN, k).ToArray(), null);
        return new FitResult(names.ToArray(), estimates, standardErrors, finalLl, iterations, optimizer, exit, customers, patterns, penalizer) { Covariance = covariance };
    }

    /// <summary>
    /// Standard errors and covariance (row-major; null when the Hessian is singular or not positive definite) from the
    /// observed information: the inverse of the Hessian of −LL, by central differences of the analytic gradient.
    /// </summary>
    private static (double[] StandardErrors, double[]? Covariance) Information(LogLikelihoodFunction logLikelihood, double[] estimates, int positiveCount)
    {
        var k = estimates.Length;
        var hessian = Matrix<double>.Build.Dense(k, k);
        var plus = new double[k];
        var minus = new double[k];
        var point = new double[k];
        for (var j = 0; j < k; j++)
        {
            var h = 1e-5 * Math.Max(Math.Abs(estimates[j]), j < positiveCount ? 1e-3 : 1);
            estimates.CopyTo(point, 0);
            point[j] = estimates[j] + h;
            Array.Clear(plus);
            logLikelihood(point, plus);
            point[j] = estimates[j] - h;
            Array.Clear(minus);
            logLikelihood(point, minus);
            for (var i = 0; i < k; i++)
            {
                hessian[i, j] = -(plus[i] - minus[i]) / (2 * h);
            }
        }

        hessian = (hessian + hessian.Transpose()) / 2;
        var se = new double[k];
        try
        {
            var covariance = hessian.Inverse();
            for (var i = 0; i < k; i++)
            {
                se[i] = covariance[i, i] > 0 ? Math.Sqrt(covariance[i, i]) : double.NaN;
            }

            var positive = se.All(double.IsFinite) && covariance.Enumerate().All(double.IsFinite);
            return (se, positive ? covariance.ToRowMajorArray() : null);
        }
        catch (ArgumentException)
        {
            Array.Fill(se, double.NaN);
            return (se, null);
        }
    }
}

/// <summary>The trailing parameters of a fit that are on the real line (covariate coefficients), and their L2 penalty λ (objective −LL/N + λ·Σγ²).</summary>
/// <param name="Count">How many of the last parameters are free; 0 = none.</param>
/// <param name="Penalizer">λ ≥ 0, as CLVTools' <c>reg.lambdas</c>.</param>
internal readonly record struct FreeParameters(int Count, double Penalizer);
