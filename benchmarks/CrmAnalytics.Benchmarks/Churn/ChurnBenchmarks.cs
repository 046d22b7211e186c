using BenchmarkDotNet.Attributes;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using Microsoft.ML;

namespace CrmAnalytics.Benchmarks.Churn;

/// <summary>
/// Churn training and scoring on 1,000,000 simulated customers (issue target on 2 cores: train &lt; 60 s, score &lt; 5 s).
/// Training: one fit of each trainer on the labelled rows at as-of − 90 days (features already built), logistic
/// regression as the baseline. Scoring: features at the as-of date, calibrated probabilities and the top-3 reasons;
/// the baseline is ML.NET's per-row PredictionEngine, the naive way to score.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
public class ChurnBenchmarks
{
    private static readonly ChurnInputs Inputs = new() { Clv = new ClvScoringOptions() };
    private CustomerSummaryBuilder _builder = null!;
    private ChurnDataset _training = null!;
    private ChurnModel _model = null!;

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _builder = ChurnPopulation.Build(Customers);
        _training = ChurnFeatureBuilder.Build(_builder, ChurnPopulation.AsOf.AddDays(-90), ChurnFeatureBuilder.DeriveSchema(Inputs), Inputs, 90);
        _model = ChurnModelTrainer.Train(_training, _training, new ChurnTrainingOptions());
    }

    [Benchmark(Baseline = true, Description = "train logistic regression (baseline)")]
    public double TrainLogistic() => ChurnModelTrainer.Train(_training, _training, new ChurnTrainingOptions { Trainer = ChurnTrainer.Logistic }).Calibration.Probability(0);

    [Benchmark(Description = "train LightGBM (default)")]
    public double TrainLightGbm() => ChurnModelTrainer.Train(_training, _training, new ChurnTrainingOptions()).Calibration.Probability(0);

    [Benchmark(Description = "train FastTree")]
    public double TrainFastTree() => ChurnModelTrainer.Train(_training, _training, new ChurnTrainingOptions { Trainer = ChurnTrainer.FastTree }).Calibration.Probability(0);

    [Benchmark(Description = "features + score + reasons at as-of")]
    public double Score() => ChurnScorer.Score(_model, _builder, ChurnPopulation.AsOf, Inputs, ChurnActiveBase.DefaultDays, new ChurnBandOptions()).Customers[^1].Probability ?? 0;

    [Benchmark(Description = "features + score, per-row PredictionEngine (naive)")]
    public double ScoreNaive()
    {
        var data = ChurnFeatureBuilder.Build(_builder, ChurnPopulation.AsOf, _model.Schema, Inputs);
        using var engine = _model.Context.Model.CreatePredictionEngine<InputRow, ScoreOnly>(_model.Transformer, _model.InputSchema);
        double last = 0;
        var row = new InputRow();
        for (var i = 0; i < data.Count; i++)
        {
            row.Features = data.Row(i).ToArray();
            last = _model.Calibration.Probability(engine.Predict(row).Score);
        }

        return last;
    }

    /// <summary>The prediction engine's input row: the model's two input columns.</summary>
    public sealed class InputRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    /// <summary>The prediction engine's output row.</summary>
    public sealed class ScoreOnly
    {
        public float Score { get; set; }
    }
}
