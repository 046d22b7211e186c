using CrmAnalytics.Churn.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CrmAnalytics.Churn.Training;

/// <summary>The model's input row: the feature vector and, for training, the label.</summary>
internal sealed class ChurnRow
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>Exposes a <see cref="ChurnDataset"/> (or some of its rows) to ML.NET without copying it up front.</summary>
internal static class ChurnRows
{
    public const string FeaturesColumn = nameof(ChurnRow.Features);
    public const string LabelColumn = nameof(ChurnRow.Label);

    public static IDataView View(MLContext ml, ChurnDataset data, IReadOnlyList<int>? rows = null)
    {
        var definition = SchemaDefinition.Create(typeof(ChurnRow));
        definition[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Width);
        return ml.Data.LoadFromEnumerable(Enumerate(data, rows), definition);
    }

    private static IEnumerable<ChurnRow> Enumerate(ChurnDataset data, IReadOnlyList<int>? rows)
    {
        var count = rows?.Count ?? data.Count;
        for (var k = 0; k < count; k++)
        {
            var i = rows?[k] ?? k;
            yield return new ChurnRow { Features = data.Row(i).ToArray(), Label = data.Labels?[i] ?? false };
        }
    }
}
