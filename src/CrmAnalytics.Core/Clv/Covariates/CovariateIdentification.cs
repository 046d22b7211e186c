using MathNet.Numerics.LinearAlgebra;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// Whether a design's coefficients can be estimated: no column constant (it would duplicate the model's α, β or a, b,
/// which act as the intercept) and none a linear combination of the columns before it.
/// </summary>
internal static class CovariateIdentification
{
    /// <summary>A column whose variance left after regressing on the columns before it is below this share of its own is collinear.</summary>
    internal const double CollinearShare = 1e-9;

    /// <exception cref="ConfigurationException">A column is constant or collinear (exit 2); the message names it, never a customer's value.</exception>
    public static void Check(CovariateDesign design, string process, string source)
    {
        var k = design.Count;
        var n = design.Customers;
        var mean = new double[k];
        for (var i = 0; i < n; i++)
        {
            var row = design.Row(i);
            for (var j = 0; j < k; j++)
            {
                mean[j] += row[j] / n;
            }
        }

        var cross = Matrix<double>.Build.Dense(k, k);
        var centered = new double[k];
        for (var i = 0; i < n; i++)
        {
            var row = design.Row(i);
            for (var j = 0; j < k; j++)
            {
                centered[j] = row[j] - mean[j];
            }

            for (var j = 0; j < k; j++)
            {
                for (var l = 0; l <= j; l++)
                {
                    cross[j, l] += centered[j] * centered[l];
                }
            }
        }

        var problems = new List<string>();
        var kept = new List<int>();
        for (var j = 0; j < k; j++)
        {
            var variance = cross[j, j];
            if (!(variance > CollinearShare * Math.Max(1, mean[j] * mean[j]) * n))
            {
                problems.Add($"the {process} covariate '{Describe(design, j)}' is constant: it cannot be told apart from the model's own parameters");
                continue;
            }

            if (kept.Count > 0)
            {
                var before = Matrix<double>.Build.Dense(kept.Count, kept.Count, (a, b) => Cross(cross, kept[a], kept[b]));
                var with = Vector<double>.Build.Dense(kept.Count, a => Cross(cross, kept[a], j));
                var residual = variance - with.DotProduct(before.Solve(with));
                if (!(residual > CollinearShare * variance))
                {
                    problems.Add($"the {process} covariate '{Describe(design, j)}' is collinear with {string.Join(", ", kept.Select(c => $"'{Describe(design, c)}'"))} (a linear combination of them)");
                    continue;
                }
            }

            kept.Add(j);
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException($"{source}: {string.Join("; ", problems)}. Leave the column out of the covariates (for dummies: merge the level into another).");
        }
    }

    private static double Cross(Matrix<double> lower, int a, int b) => a >= b ? lower[a, b] : lower[b, a];

    /// <summary>A numeric column's name, or a dummy's column and level number (a level is a cell value, which messages never show).</summary>
    private static string Describe(CovariateDesign design, int index)
    {
        var offset = 0;
        foreach (var column in design.Columns)
        {
            var width = column.Kind == CovariateKind.Numeric ? 1 : column.Levels.Count - 1;
            if (index < offset + width)
            {
                return column.Kind == CovariateKind.Numeric ? column.Column : $"{column.Column}, level {index - offset + 2} of {column.Levels.Count}";
            }

            offset += width;
        }

        return design.Names[index];
    }
}
