namespace CrmAnalytics.Core.Rfm;

/// <summary>Checks an ordered rule table over all 125 (R, F, M) cells for gaps, overlaps and dead rules (DESIGN.md, "RFM").</summary>
public static class RfmRulesLinter
{
    /// <summary>Evaluates every rule on every cell.</summary>
    /// <remarks>
    /// A cell is uncovered when no rule contains it (its customers go to Others); it overlaps when several rules contain it
    /// (the first wins, as in <see cref="RfmSegmentRules.Assign"/>). A rule is fully shadowed when it wins no cell.
    /// </remarks>
    public static RfmLintResult Lint(RfmSegmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var table = rules.Rules;
        var inBox = new int[table.Count];
        var won = new int[table.Count];
        var uncovered = new List<RfmScore>();
        var overlaps = new List<RfmCellOverlap>();

        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    var cell = new RfmScore(r, f, m);
                    var winner = -1;
                    List<RfmSegmentRule>? shadowed = null;
                    for (var i = 0; i < table.Count; i++)
                    {
                        if (!table[i].Contains(cell))
                        {
                            continue;
                        }

                        inBox[i]++;
                        if (winner < 0)
                        {
                            winner = i;
                            won[i]++;
                        }
                        else
                        {
                            (shadowed ??= []).Add(table[i]);
                        }
                    }

                    if (winner < 0)
                    {
                        uncovered.Add(cell);
                    }
                    else if (shadowed is not null)
                    {
                        overlaps.Add(new RfmCellOverlap(cell, table[winner], shadowed.AsReadOnly()));
                    }
                }
            }
        }

        var coverage = new RfmRuleCoverage[table.Count];
        for (var i = 0; i < table.Count; i++)
        {
            coverage[i] = new RfmRuleCoverage(i, table[i], inBox[i], won[i]);
        }

        return new RfmLintResult(uncovered.AsReadOnly(), Array.AsReadOnly(coverage), overlaps.AsReadOnly());
    }
}
