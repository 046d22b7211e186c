using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Simulation;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CrmAnalytics.Core.Tests.Clv.Fitting;

/// <summary>
/// The full fit above <see cref="FitStart.WarmStartAbove"/> patterns starts from the sample fit's estimates and its
/// curvature (<see cref="CurvedStartBfgs"/>). It must end where the plain BFGS from the same start ends, in fewer
/// likelihood evaluations.
/// </summary>
public sealed class CurvedStartTests
{
    [Test]
    public void FindMinimum_QuadraticWithItsInverseHessian_OneNewtonStep()
    {
        // f(v) = (v0 − 1)² + 10·(v1 + 2)² + (v0 − 1)(v1 + 2): Hessian [[2, 1], [1, 20]], minimum (1, −2). With the exact
        // inverse Hessian the first direction is the Newton step, accepted at full length: one line-search evaluation,
        // then the gradient is zero. MathNet's BFGS from the identity needs more.
        var hessian = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 1, 20 } });
        int curvedCalls = 0, plainCalls = 0;
        var curved = new CurvedStartBfgs(1e-9, 1e-12, 1e-14, 1000)
            .FindMinimum(ObjectiveFunction.Gradient(v => Quadratic(v, ref curvedCalls)), Vector<double>.Build.Dense(2), hessian.Inverse());
        var plain = new BfgsMinimizer(1e-9, 1e-12, 1e-14, 1000)
            .FindMinimum(ObjectiveFunction.Gradient(v => Quadratic(v, ref plainCalls)), Vector<double>.Build.Dense(2));
        Assert.Multiple(() =>
        {
            Assert.That(curved.MinimizingPoint[0], Is.EqualTo(1).Within(1e-9));
            Assert.That(curved.MinimizingPoint[1], Is.EqualTo(-2).Within(1e-9));
            Assert.That(curvedCalls, Is.LessThanOrEqualTo(3));
            Assert.That(plain.MinimizingPoint[0], Is.EqualTo(1).Within(1e-9));
            Assert.That(plainCalls, Is.GreaterThan(curvedCalls));
        });
    }

    [Test]
    public void FindMinimum_CurvatureThatIsNotDownhill_FallsBackToSteepestDescentAndConverges()
    {
        // A negative definite "inverse Hessian" points uphill: the first step must be plain BFGS's, not a failure.
        var calls = 0;
        var result = new CurvedStartBfgs(1e-9, 1e-12, 1e-14, 1000)
            .FindMinimum(ObjectiveFunction.Gradient(v => Quadratic(v, ref calls)), Vector<double>.Build.Dense(2), -Matrix<double>.Build.DenseIdentity(2));
        Assert.Multiple(() =>
        {
            Assert.That(result.MinimizingPoint[0], Is.EqualTo(1).Within(1e-8));
            Assert.That(result.MinimizingPoint[1], Is.EqualTo(-2).Within(1e-8));
        });
    }

    [Test]
    public void InverseHessian_LogNormalShapedLikelihood_IsTheHandWorkedDiagonal()
    {
        // LL(θ) = −N/2 · Σ w_i (ln θ_i − m_i)², so in φ = ln θ the objective −LL/N = ½ Σ w_i (φ_i − m_i)² has the
        // Hessian diag(w) everywhere, and its inverse is diag(1/w). ∂LL/∂θ_i = −N w_i (ln θ_i − m_i)/θ_i.
        const double n = 500;
        double[] w = [2, 0.5, 8];
        double[] m = [0.3, -1, 2];
        double Ll(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            var ll = 0.0;
            for (var i = 0; i < 3; i++)
            {
                var d = Math.Log(theta[i]) - m[i];
                ll -= n / 2 * w[i] * d * d;
                gradient[i] += -n * w[i] * d / theta[i];
            }

            return ll;
        }

        var inverse = MaximumLikelihood.InverseHessian(Ll, [1.5, 0.2, 9], n, new FitOptions())!;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    Assert.That(inverse[i, j], Is.EqualTo(i == j ? 1 / w[i] : 0).Within(1e-6), $"[{i},{j}]");
                }
            }
        });
    }

    [Test]
    public void InverseHessian_NotPositiveDefinite_IsNull()
    {
        // LL = +N/2 · (ln θ)²: a minimum of the likelihood, so the objective's Hessian is −1 and there is no curvature to start with.
        static double Ll(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            var d = Math.Log(theta[0]);
            gradient[0] += 10 * d / theta[0];
            return 5 * d * d;
        }

        Assert.That(MaximumLikelihood.InverseHessian(Ll, [2.0], 10, new FitOptions()), Is.Null);
    }

    [TestCase("paretonbd")]
    [TestCase("bgnbd")]
    [TestCase("mbgnbd")]
    public void ManyPatterns_CurvedStartEndsWherePlainBfgsEndsInFewerEvaluations(string model)
    {
        // 120,000 simulated customers with continuous times: ~120,000 patterns, above the warm-start threshold. The
        // likelihoods are the fits' own, on all patterns and on the warm start's systematic sample.
        var options = new BgNbdSimulationOptions { Customers = 120_000, MinAge = 20, MaxAge = 80, Seed = 17 };
        var data = RepeatPatterns.From(model == "paretonbd"
            ? ParetoNbdSimulator.Simulate(new ParetoNbdParameters(0.55, 10.5, 0.6, 11.5), options)
            : BgNbdSimulator.Simulate(new BgNbdParameters(0.25, 4, 0.8, 2.5), options));
        Assert.That(data.Count, Is.GreaterThan(FitStart.WarmStartAbove));
        var (index, weight) = FitStart.SystematicSample(data.Weight, data.Customers);
        var (x, tx, T) = (FitStart.Gather(data.X, index), FitStart.Gather(data.Tx, index), FitStart.Gather(data.T, index));
        var shift = model == "mbgnbd" ? ModifiedBgNbdModel.Shift : 0;
        if (model == "paretonbd")
        {
            var sample = new ParetoNbdLikelihood(x, tx, T, weight);
            CompareStarts(model, ParetoNbdFit.ParameterNames, new ParetoNbdLikelihood(data).Evaluate, sample.Evaluate, sample.Customers, sample.Count,
                ParetoNbdFit.StartValues(data.T, data.Weight), data);
        }
        else
        {
            var sample = new BetaGeometricLikelihood(x, tx, T, weight, shift);
            CompareStarts(model, BetaGeometricFit.ParameterNames, new BetaGeometricLikelihood(data, shift).Evaluate, sample.Evaluate, sample.Customers, sample.Count,
                BetaGeometricFit.StartValues(data.T, data.Weight), data);
        }
    }

    /// <summary>
    /// From the sample's warm start, the fit with its curvature and the plain BFGS agree on every estimate to 1e-6
    /// relative (both stop at the gradient tolerance 1e-9 of the per-customer objective) and on the log-likelihood to
    /// 1e-9 relative, and the curved fit needs at most half the plain fit's evaluations.
    /// </summary>
    private static void CompareStarts(string model, string[] names, LogLikelihoodFunction full, LogLikelihoodFunction sample, double sampleCustomers, int samplePatterns,
        double[] coldStart, RepeatPatterns data)
    {
        var options = new FitOptions { StandardErrors = false };
        var warm = FitStart.WarmEstimates(model, names, sample, coldStart, sampleCustomers, samplePatterns, options);
        Assert.That(warm.Curvature, Is.Not.Null, "the sample fit's curvature");
        int plainCalls = 0, curvedCalls = 0;
        var plain = MaximumLikelihood.Fit(model, names, Counted(full, () => plainCalls++), warm.Estimates, data.Customers, data.Count, options);
        var curved = MaximumLikelihood.Fit(model, names, Counted(full, () => curvedCalls++), warm.Estimates, data.Customers, data.Count, options, curvature: warm.Curvature);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < names.Length; i++)
            {
                Assert.That(curved.Estimates[i], Is.EqualTo(plain.Estimates[i]).Within(1e-6 * Math.Abs(plain.Estimates[i])), names[i]);
            }

            Assert.That(curved.LogLikelihood, Is.EqualTo(plain.LogLikelihood).Within(1e-9 * Math.Abs(plain.LogLikelihood)));
            Assert.That(curvedCalls, Is.LessThanOrEqualTo(plainCalls / 2), $"evaluations: curved {curvedCalls}, plain {plainCalls}");
        });
    }

    private static LogLikelihoodFunction Counted(LogLikelihoodFunction inner, Action count) => (theta, gradient) =>
    {
        count();
        return inner(theta, gradient);
    };

    private static (double, Vector<double>) Quadratic(Vector<double> v, ref int calls)
    {
        calls++;
        var a = v[0] - 1;
        var b = v[1] + 2;
        return ((a * a) + (10 * b * b) + (a * b), Vector<double>.Build.DenseOfArray([(2 * a) + b, (20 * b) + a]));
    }
}
