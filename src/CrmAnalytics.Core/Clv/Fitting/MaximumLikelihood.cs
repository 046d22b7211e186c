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
    /// <summary>Fits from <paramref name="start"/>; the last <see cref="FreeParameters.Count"/> parameters of <paramref name="free"/> are unconstrained (not log-transformed).</summary>
    /// <param name="curvature">
    /// The inverse Hessian of the objective in φ at the start (<see cref="InverseHessian"/> of a fit on a sample): BFGS
    /// then starts with it and a full step instead of the identity and a tiny step, so a start near the optimum needs a
    /// few evaluations instead of about thirty. Null: the plain start.
    /// </param>
    public static FitResult Fit(string model, IReadOnlyList<string> names, LogLikelihoodFunction logLikelihood, ReadOnlySpan<double> start,
        double customers, int patterns, FitOptions options, FreeParameters free = default, Matrix<double>? curvature = null)
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
        var objective = new LogSpaceObjective(logLikelihood, k, positive, 1.0 / customers, options.Penalizer, free.Penalizer);
        var grad = new double[k];

        for (var i = 0; i < k; i++)
        {
            if (!double.IsFinite(start[i]) || (i < positive && !(start[i] > 0)))
            {
                throw new ArgumentOutOfRangeException(nameof(start), "Start values must be finite, and positive but for the free parameters.");
            }
        }

        var phi0 = objective.ToPhi(start);

        Vector<double>? best = null;
        int iterations;
        string optimizer;
        string exit;
        try
        {
            var result = Bfgs(objective, phi0, options, curvature);
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
                var result = simplex.FindMinimum(ObjectiveFunction.Value(v => objective.Evaluate(v).Value), phi0);
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
        objective.ToTheta(best, estimates);

        Array.Clear(grad);
        var finalLl = logLikelihood(estimates, grad);
        if (!double.IsFinite(finalLl) || estimates.Select((e, i) => !double.IsFinite(e) || (i < positive && e <= 0)).Any(bad => bad))
        {
            throw new ModelFitException($"{model}: the fit ended at non-finite values; try a penalizer or check the data.");
        }

        var (standardErrors, covariance) = options.StandardErrors ? Information(logLikelihood, estimates, positive) : (Enumerable.Repeat(double.NaN, k).ToArray(), null);
        return new FitResult(names.ToArray(), estimates, standardErrors, finalLl, iterations, optimizer, exit, customers, patterns, options.Penalizer) { Covariance = covariance };
    }

    /// <summary>MathNet's BFGS from the plain start, or <see cref="CurvedStartBfgs"/> when the start comes with its curvature.</summary>
    private static MinimizationResult Bfgs(LogSpaceObjective objective, Vector<double> phi0, FitOptions options, Matrix<double>? curvature)
    {
        var function = ObjectiveFunction.Gradient(objective.Evaluate);
        return curvature is null
            ? new BfgsMinimizer(options.GradientTolerance, ParameterTolerance, FunctionProgressTolerance, options.MaxIterations).FindMinimum(function, phi0)
            : new CurvedStartBfgs(options.GradientTolerance, ParameterTolerance, FunctionProgressTolerance, options.MaxIterations).FindMinimum(function, phi0, curvature);
    }

    private const double ParameterTolerance = 1e-12;

    private const double FunctionProgressTolerance = 1e-14;

    /// <summary>
    /// The inverse Hessian of the fit's objective in φ (log θ, and the free parameters as they are) at
    /// <paramref name="estimates"/>, by central differences of the analytic gradient; null when it is not finite or not
    /// positive definite. It is what <see cref="Fit"/> takes as its start's curvature.
    /// </summary>
    internal static Matrix<double>? InverseHessian(LogLikelihoodFunction logLikelihood, ReadOnlySpan<double> estimates, double customers, FitOptions options,
        FreeParameters free = default)
    {
        ArgumentNullException.ThrowIfNull(logLikelihood);
        ArgumentNullException.ThrowIfNull(options);
        var k = estimates.Length;
        var positive = k - free.Count;
        var objective = new LogSpaceObjective(logLikelihood, k, positive, 1.0 / customers, options.Penalizer, free.Penalizer);
        var phi = objective.ToPhi(estimates);

        const double h = 1e-4;
        var hessian = Matrix<double>.Build.Dense(k, k);
        for (var j = 0; j < k; j++)
        {
            var at = phi[j];
            phi[j] = at + h;
            var plus = objective.Evaluate(phi).Gradient;
            phi[j] = at - h;
            var minus = objective.Evaluate(phi).Gradient;
            phi[j] = at;
            hessian.SetColumn(j, (plus - minus) / (2 * h));
        }

        hessian = (hessian + hessian.Transpose()) / 2;
        if (!hessian.Enumerate().All(double.IsFinite))
        {
            return null;
        }

        try
        {
            var inverse = hessian.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(k));
            return inverse.Enumerate().All(double.IsFinite) ? inverse : null;
        }
        catch (ArgumentException)
        {
            // Not positive definite: the plain start is the safe one.
            return null;
        }
    }

    /// <summary>
    /// The objective in φ = log θ: f = −LL/N + c·Σθ²; ∂f/∂φ_i = (−∂LL/∂θ_i / N + 2cθ_i)·θ_i. Free parameters γ = φ: f gains
    /// λ·Σγ² (CLVTools' regularization of covariates); ∂f/∂γ = −∂LL/∂γ / N + 2λγ.
    /// </summary>
    private sealed class LogSpaceObjective(LogLikelihoodFunction logLikelihood, int k, int positive, double scale, double penalizer, double freePenalizer)
    {
        private readonly double[] _theta = new double[k];
        private readonly double[] _grad = new double[k];

        /// <summary>φ of <paramref name="theta"/>: the log of the positive parameters, the free ones as they are.</summary>
        public Vector<double> ToPhi(ReadOnlySpan<double> theta)
        {
            var phi = Vector<double>.Build.Dense(k);
            for (var i = 0; i < k; i++)
            {
                phi[i] = i < positive ? Math.Log(theta[i]) : theta[i];
            }

            return phi;
        }

        /// <summary>θ of <paramref name="phi"/> into <paramref name="theta"/>, the inverse of <see cref="ToPhi"/>.</summary>
        public void ToTheta(Vector<double> phi, Span<double> theta)
        {
            for (var i = 0; i < k; i++)
            {
                theta[i] = i < positive ? Math.Exp(phi[i]) : phi[i];
            }
        }

        public (double Value, Vector<double> Gradient) Evaluate(Vector<double> phi)
        {
            ToTheta(phi, _theta);

            Array.Clear(_grad);
            var ll = logLikelihood(_theta, _grad);
            var value = -ll * scale;
            var g = Vector<double>.Build.Dense(k);
            for (var i = 0; i < k; i++)
            {
                if (i < positive)
                {
                    value += penalizer * _theta[i] * _theta[i];
                    g[i] = ((-_grad[i] * scale) + (2 * penalizer * _theta[i])) * _theta[i];
                }
                else
                {
                    value += freePenalizer * _theta[i] * _theta[i];
                    g[i] = (-_grad[i] * scale) + (2 * freePenalizer * _theta[i]);
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
