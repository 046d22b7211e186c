using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace CrmAnalytics.Churn.Training;

/// <summary>
/// Per-customer feature contributions of a boosted-tree model, by ML.NET's definition for trees: in every tree, at
/// each split on the customer's path, the feature split on gains (output of the leaf reached) − (output of the leaf
/// that going the other way at that split would reach). The same numbers as ML.NET's
/// <c>CalculateFeatureContribution</c> (a test compares them), computed on flat arrays on all cores, which makes the
/// reasons of a million customers take seconds instead of tens of seconds.
/// </summary>
internal sealed class TreePathContributions
{
    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly (int NodeBase, int LeafBase, double Weight)[] _trees;
    private readonly double _bias;

    private TreePathContributions(Node[] nodes, double[] leaves, (int, int, double)[] trees, double bias, bool scoresLikeMlNet)
    {
        _nodes = nodes;
        _leaves = leaves;
        _trees = trees;
        _bias = bias;
        ScoresLikeMlNet = scoresLikeMlNet;
    }

    /// <summary>
    /// Whether <see cref="RawScore"/> is ML.NET's score bit for bit: the ensemble has no bias, every tree weighs 1 and
    /// every tree without splits outputs 0 (ML.NET's tree outputs 0 when it has no split).
    /// </summary>
    public bool ScoresLikeMlNet { get; }

    /// <summary>The calculator for a LightGBM or FastTree predictor with numeric splits only; null for anything else.</summary>
    public static TreePathContributions? From(ITransformer predictor)
    {
        var ensemble = predictor switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> p => p.Model.SubModel.TrainedTreeEnsemble,
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> p => p.Model.SubModel.TrainedTreeEnsemble,
            _ => null,
        };
        if (ensemble is null || ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(f => f)))
        {
            return null;
        }

        // All trees in two flat arrays; child indexes stay tree-local (a child < 0 is leaf ~child of the same tree).
        var nodes = new List<Node>();
        var leaves = new List<double>();
        var trees = new List<(int, int, double)>();
        var bias = ensemble.Bias;
        var scoresLikeMlNet = ensemble.Bias == 0;
        for (var k = 0; k < ensemble.Trees.Count; k++)
        {
            var t = ensemble.Trees[k];
            scoresLikeMlNet &= ensemble.TreeWeights[k] == 1 && (t.NumberOfNodes > 0 || t.LeafValues[0] == 0);
            if (t.NumberOfNodes == 0)
            {
                // A tree without splits adds its single leaf to every customer's score.
                bias += ensemble.TreeWeights[k] * t.LeafValues[0];
                continue;
            }

            trees.Add((nodes.Count, leaves.Count, ensemble.TreeWeights[k]));
            for (var n = 0; n < t.NumberOfNodes; n++)
            {
                nodes.Add(new Node(t.LeftChild[n], t.RightChild[n], t.NumericalSplitFeatureIndexes[n], t.NumericalSplitThresholds[n]));
            }

            leaves.AddRange(t.LeafValues);
        }

        return new TreePathContributions([.. nodes], [.. leaves], [.. trees], bias, scoresLikeMlNet);
    }

    /// <summary>
    /// The model's raw score as ML.NET computes it when <see cref="ScoresLikeMlNet"/>: the leaf outputs summed in double
    /// in tree order from 0, then rounded to float (the <c>Score</c> column), without building a data view per row.
    /// </summary>
    public float RawScore(ReadOnlySpan<float> features)
    {
        var nodes = _nodes.AsSpan();
        double output = 0;
        foreach (var (nodeBase, leafBase, _) in _trees)
        {
            output += _leaves[leafBase + LeafFrom(nodes[nodeBase..], features, 0)];
        }

        return (float)output;
    }

    /// <summary>
    /// Adds the contributions of <paramref name="features"/> into <paramref name="contributions"/> (one slot per
    /// feature) and returns the model's raw score, bias + Σ weight × leaf output, which the walk finds anyway.
    /// </summary>
    public double Add(ReadOnlySpan<float> features, Span<float> contributions)
    {
        var nodes = _nodes.AsSpan();
        var score = _bias;
        foreach (var (nodeBase, leafBase, weight) in _trees)
        {
            var tree = nodes[nodeBase..];
            var leaves = _leaves.AsSpan(leafBase);
            var trueOutput = leaves[LeafFrom(tree, features, 0)];
            score += weight * trueOutput;
            var node = 0;
            while (node >= 0)
            {
                ref readonly var split = ref tree[node];
                int otherWay;
                if (features[split.Feature] <= split.Threshold)
                {
                    otherWay = split.Right;
                    node = split.Left;
                }
                else
                {
                    otherWay = split.Left;
                    node = split.Right;
                }

                contributions[split.Feature] += (float)(trueOutput - leaves[LeafFrom(tree, features, otherWay)]);
            }
        }

        return score;
    }

    private static int LeafFrom(ReadOnlySpan<Node> tree, ReadOnlySpan<float> features, int node)
    {
        while (node >= 0)
        {
            ref readonly var split = ref tree[node];
            node = features[split.Feature] <= split.Threshold ? split.Left : split.Right;
        }

        return ~node;
    }

    /// <summary>A split: feature ≤ threshold goes left; a child &lt; 0 is leaf ~child.</summary>
    private readonly record struct Node(int Left, int Right, int Feature, float Threshold);
}
