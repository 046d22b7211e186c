using System.Globalization;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// The covariate matrix of one process (purchase or dropout): one row per customer, one column per numeric attribute
/// and one 0/1 dummy per non-reference level of a categorical attribute. Rows follow the customers it was built for.
/// </summary>
/// <remarks>
/// A column is numeric when every value parses as an invariant-culture number, and is then used as it is (CLVTools
/// <c>SetStaticCovariates</c> takes numeric covariates as given). Otherwise it is categorical and dummy-coded against a
/// reference level: the first level in ordinal (culture-invariant) sort order, R's default treatment coding that
/// CLVTools inherits from <c>model.matrix</c>. There is no intercept column: the model's α (and β, or a and b) is the
/// reference customer's.
/// </remarks>
public sealed class CovariateDesign
{
    private readonly double[] _values;

    private CovariateDesign(IReadOnlyList<string> names, IReadOnlyList<CovariateColumn> columns, double[] values, int customers)
    {
        Names = names;
        Columns = columns;
        _values = values;
        Customers = customers;
    }

    /// <summary>The design columns: the attribute's name for a numeric one, <c>column=level</c> for a dummy.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The attribute columns behind the design, with how each was coded.</summary>
    public IReadOnlyList<CovariateColumn> Columns { get; }

    public int Count => Names.Count;

    public int Customers { get; }

    /// <summary>The covariates of customer <paramref name="customer"/>, in the order of <see cref="Names"/>.</summary>
    public ReadOnlySpan<double> Row(int customer) => _values.AsSpan(customer * Count, Count);

    /// <summary>No covariates for <paramref name="customers"/> customers: the model without covariates.</summary>
    public static CovariateDesign None(int customers) => new([], [], [], customers);

    /// <summary>A design from known values (row-major, customers × names), for simulation and tests.</summary>
    public static CovariateDesign FromValues(IReadOnlyList<string> names, double[] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count == 0 || values.Length % names.Count != 0)
        {
            throw new ArgumentException("Values must hold whole rows of the named columns.", nameof(values));
        }

        return new(names, names.Select(n => new CovariateColumn(n, CovariateKind.Numeric, null, [])).ToArray(), values, values.Length / names.Count);
    }

    /// <summary>
    /// The design of <paramref name="columns"/> of <paramref name="attributes"/> for <paramref name="customerIds"/>,
    /// checked: every column exists, every customer has a value, and no column is constant or collinear with the others.
    /// </summary>
    /// <param name="process">"purchase" or "dropout", for messages.</param>
    /// <param name="source">The attributes file's name, for messages.</param>
    /// <exception cref="InputException">A column is not in the file, or customers have no value for it (exit 3).</exception>
    /// <exception cref="ConfigurationException">A covariate is constant, or collinear with the others (exit 2).</exception>
    public static CovariateDesign Build(IReadOnlyList<string> customerIds, CustomerAttributes attributes, IReadOnlyList<string> columns, string process, string source)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            return None(customerIds.Count);
        }

        var missingColumns = columns.Where(c => !attributes.Columns.Contains(c, StringComparer.Ordinal)).ToList();
        if (missingColumns.Count > 0)
        {
            throw new InputException($"{source}: the {process} covariate column(s) {string.Join(", ", missingColumns.Select(c => $"'{c}'"))} are not in the file; its columns are {string.Join(", ", attributes.Columns)}.");
        }

        var n = customerIds.Count;
        var coded = new List<CovariateColumn>();
        var problems = new List<string>();
        var cells = new List<string?[]>();
        foreach (var name in columns)
        {
            var index = attributes.Columns.ToList().IndexOf(name);
            var values = new string?[n];
            var missing = 0;
            for (var i = 0; i < n; i++)
            {
                values[i] = attributes.Get(customerIds[i], index) is { Length: > 0 } v ? v : null;
                missing += values[i] is null ? 1 : 0;
            }

            if (missing > 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{missing:N0} of {n:N0} customers have no value for the {process} covariate '{name}' (no row in the file or an empty cell)"));
            }

            cells.Add(values);
            coded.Add(Code(name, values));
        }

        if (problems.Count > 0)
        {
            throw new InputException($"{source}: {string.Join("; ", problems)}. A covariate model needs a value for every customer, and no customer is dropped silently: the run stops and publishes nothing; fill the values or leave the column out of the covariates.");
        }

        var constant = coded.Where(c => c is { Kind: CovariateKind.Categorical, Levels.Count: < 2 }).Select(c => $"the {process} covariate '{c.Column}' has one value for every customer: it is constant and cannot be told apart from the model's own parameters").ToList();
        if (constant.Count > 0)
        {
            throw new ConfigurationException($"{source}: {string.Join("; ", constant)}. Leave the column out of the covariates.");
        }

        var names = coded.SelectMany(c => c.Kind == CovariateKind.Numeric ? [c.Column] : c.Levels.Skip(1).Select(l => $"{c.Column}={l}")).ToArray();
        var k = names.Length;
        var matrix = new double[n * k];
        var offset = 0;
        for (var j = 0; j < coded.Count; j++)
        {
            var column = coded[j];
            var width = column.Kind == CovariateKind.Numeric ? 1 : column.Levels.Count - 1;
            var levels = column.Levels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                var cell = cells[j][i]!;
                if (column.Kind == CovariateKind.Numeric)
                {
                    matrix[(i * k) + offset] = double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
                }
                else if (levels[cell] > 0)
                {
                    matrix[(i * k) + offset + levels[cell] - 1] = 1;
                }
            }

            offset += width;
        }

        var design = new CovariateDesign(names, coded, matrix, n);
        CovariateIdentification.Check(design, process, source);
        return design;
    }

    private static CovariateColumn Code(string name, string?[] values)
    {
        var present = values.OfType<string>().ToArray();
        if (present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)))
        {
            return new CovariateColumn(name, CovariateKind.Numeric, null, []);
        }

        var levels = present.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new CovariateColumn(name, CovariateKind.Categorical, levels[0], levels);
    }
}

/// <summary>How an attribute column enters a covariate design.</summary>
public enum CovariateKind
{
    /// <summary>Used as it is.</summary>
    Numeric,

    /// <summary>Dummy-coded against <see cref="CovariateColumn.Reference"/>.</summary>
    Categorical,
}

/// <summary>One attribute column of a design.</summary>
/// <param name="Column">The attribute's name.</param>
/// <param name="Reference">The reference level of a categorical column (no dummy; the model's α, β or a, b are its customers'); null when numeric.</param>
/// <param name="Levels">A categorical column's levels in ordinal order, the reference first; empty when numeric.</param>
public sealed record CovariateColumn(string Column, CovariateKind Kind, string? Reference, IReadOnlyList<string> Levels);
