using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Customers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CrmAnalytics.Churn.Tests.Training;

/// <summary>
/// <see cref="ChurnRows"/>, the data view over a churn dataset's own matrix, against ML.NET's <c>LoadFromEnumerable</c>
/// of the same rows (the view it replaced): the same rows and labels in the same order, and the same LightGBM model.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChurnRowsTests
{
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    /// <summary>
    /// Random rows whose label depends on the first features, with noise: large enough that LightGBM's bins are
    /// built from a sample of rows (the 100,000-row sample of the 10M-line export is where the seeds showed).
    /// </summary>
    private static ChurnDataset Dataset(int n)
    {
        var schema = ChurnFeatureBuilder.DeriveSchema(new ChurnInputs());
        var width = schema.Count;
        var random = new Random(7);
        var values = new float[n * width];
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            for (var f = 0; f < width; f++)
            {
                values[i * width + f] = (float)(random.NextDouble() * (f + 1) * 10);
            }

            labels[i] = values[i * width] + values[i * width + 1] / 2 + random.NextDouble() * 20 > 25;
        }

        var keys = new CustomerKeys[n];
        var ids = Enumerable.Range(0, n).Select(i => $"C{i:D6}").ToArray();
        return new ChurnDataset(schema, new DateOnly(2024, 1, 1), ids, keys, values, labels, null);
    }

    private static IDataView Enumerated(MLContext ml, ChurnDataset data, IReadOnlyList<int>? rows)
    {
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Width);
        var indexes = rows ?? Enumerable.Range(0, data.Count).ToArray();
        return ml.Data.LoadFromEnumerable(indexes.Select(i => new Row { Features = data.Row(i).ToArray(), Label = data.Labels![i] }), definition);
    }

    [Test]
    public void View_RowsOrSubset_SameRowsAndLabelsAsLoadFromEnumerable()
    {
        var data = Dataset(1_000);
        int[] subset = [5, 3, 999, 0, 3];
        var ml = new MLContext(1);
        foreach (var rows in new[] { null, subset })
        {
            var expected = ml.Data.CreateEnumerable<Row>(Enumerated(ml, data, rows), reuseRowObject: false).ToArray();
            var view = ChurnRows.View(ml, data, rows);
            var actual = ml.Data.CreateEnumerable<Row>(view, reuseRowObject: false).ToArray();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(view.GetRowCount(), Is.EqualTo(expected.Length));
                Assert.That(view.Schema.Select(c => (c.Name, c.Type.ToString())), Is.EqualTo(Enumerated(ml, data, rows).Schema.Select(c => (c.Name, c.Type.ToString()))));
                Assert.That(actual.Select(r => r.Features), Is.EqualTo(expected.Select(r => r.Features)));
                Assert.That(actual.Select(r => r.Label), Is.EqualTo(expected.Select(r => r.Label)));
            }
        }
    }

    [Test]
    public void View_LightGbmFit_SameModelAsThroughLoadFromEnumerable()
    {
        var data = Dataset(100_000);
        var options = new ChurnTrainingOptions { Trees = 20 };

        float[] Scores(Func<MLContext, IDataView> view)
        {
            var ml = new MLContext(options.Seed);
            var train = view(ml);
            var model = ChurnModelTrainer.BuildPipeline(ml, options).Fit(train);
            return ml.Data.CreateEnumerable<Scored>(model.Transform(Enumerated(ml, data, null)), reuseRowObject: false).Select(s => s.Score).ToArray();
        }

        var expected = Scores(ml => Enumerated(ml, data, null));
        var actual = Scores(ml => ChurnRows.View(ml, data));

        Assert.That(actual, Is.EqualTo(expected));
    }
}
